-- Time attributes and windows used wrongly, one mistake per statement.
-- expect: 17:76: column 'sent_at_text' is not a time attribute
-- expect: 21:14: the first argument of HOP must be a time attribute
-- expect: 24:8: SESSION_START(...) must have the same arguments as a group window
-- expect: 31:37: FOR SYSTEM_TIME AS OF needs a time attribute
-- expect: 33:16: cannot subtract TIMESTAMP(3) *ROWTIME* from TIMESTAMP(3)
CREATE TABLE messages (
  msg_id BIGINT,
  channel STRING,
  sent_at TIMESTAMP(3),
  sent_at_text STRING,
  received_at TIMESTAMP(3),
  pt AS PROCTIME(),
  WATERMARK FOR sent_at AS sent_at - INTERVAL '1' SECOND
) WITH ('connector' = 'datagen');

SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE messages, DESCRIPTOR(sent_at_text), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;

SELECT COUNT(*) FROM messages
GROUP BY HOP(received_at, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE);

SELECT channel,
       SESSION_START(sent_at, INTERVAL '10' MINUTE) AS s, COUNT(*)
FROM messages
GROUP BY channel, SESSION(sent_at, INTERVAL '5' MINUTE);

CREATE TABLE channels (name STRING, owner STRING, PRIMARY KEY (name) NOT ENFORCED)
WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://db/chat', 'table-name' = 'channels');
SELECT m.msg_id, c.owner FROM messages m
JOIN channels FOR SYSTEM_TIME AS OF m.received_at AS c ON m.channel = c.name;

SELECT msg_id, received_at - sent_at AS latency FROM messages;

-- fine: the same lookup as of processing time, and the latency in seconds
SELECT m.msg_id, c.owner FROM messages m
JOIN channels FOR SYSTEM_TIME AS OF m.pt AS c ON m.channel = c.name;
SELECT msg_id, TIMESTAMPDIFF(SECOND, sent_at, received_at) AS latency
FROM messages;
