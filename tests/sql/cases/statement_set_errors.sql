-- Statement sets used wrongly: each mistake is reported once, at the
-- statement it concerns.
-- expect: 14:1: syntax error at 'END', expected INSERT
-- expect: 17:3: syntax error at 'SELECT', expected INSERT
-- expect: 22:1: END without BEGIN STATEMENT SET
-- expect: 26:24: INSERT INTO audit_sink: the query returns 1 column but the table takes 2
-- expect: 25:1: BEGIN STATEMENT SET is never closed by END
CREATE TABLE audit_src (who STRING, what STRING)
WITH ('connector' = 'datagen');
CREATE TABLE audit_sink (who STRING, what STRING)
WITH ('connector' = 'blackhole');

EXECUTE STATEMENT SET BEGIN
END;

EXECUTE STATEMENT SET BEGIN
  SELECT who FROM audit_src;
  INSERT INTO audit_sink SELECT * FROM audit_src;
END;

INSERT INTO audit_sink SELECT who, what FROM audit_src;
END;

-- opened but never closed; its bad INSERT is still checked
BEGIN STATEMENT SET;
INSERT INTO audit_sink SELECT who FROM audit_src;
INSERT INTO audit_sink SELECT who, what FROM audit_src;
