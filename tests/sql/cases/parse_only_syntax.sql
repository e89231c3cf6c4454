-- expect-parse-only
-- With --parse-only, names are not resolved: the unknown tables and columns
-- below pass, and only the syntax errors are reported.
-- expect: 10:26: syntax error at 'FROM', expected an expression
-- expect: 14:30: unterminated comment
SELECT no_such_column FROM no_such_table;
INSERT INTO missing_sink SELECT * FROM missing_source;

-- a trailing comma in the select list
SELECT order_id, amount, FROM missing_orders;

SELECT UNKNOWN_FUNCTION(x) FROM t1 JOIN t2 ON t1.k = t2.k;

SELECT 1 FROM t3 WHERE a = 1 /* unfinished
SELECT 2;
