-- expect: ok
-- The SQL client's settings in both spellings: Flink's current quoted form
-- and the legacy `SET key = value` (value quoted or not), plus SET to list
-- the settings and RESET.
SET 'sql-client.execution.result-mode' = 'tableau';
SET execution.runtime-mode = streaming;
SET parallelism.default=2;
SET table.exec.state.ttl = 36h;
SET pipeline.name = 'billing sync; nightly';
SET   table.local-time-zone   =   Asia/Shanghai  ;
SET
  execution.checkpointing.mode = EXACTLY_ONCE;
SET;
RESET 'table.exec.state.ttl';
RESET;

CREATE TABLE heartbeats (
  host STRING,
  beat_at TIMESTAMP_LTZ(3),
  WATERMARK FOR beat_at AS beat_at - INTERVAL '10' SECONDS
) WITH ('connector' = 'datagen', 'rows-per-second' = '1');

SET table.exec.source.idle-timeout = 30s;
SELECT host, COUNT(*) AS beats FROM heartbeats GROUP BY host;
