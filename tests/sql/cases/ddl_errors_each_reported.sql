-- Mistakes in table definitions, one per statement, each reported at the
-- token to fix; the valid definitions between them are kept and used.
-- expect: 11:15: DECIMAL precision must be at most 38
-- expect: 19:3: Flink doesn't support ENFORCED mode for PRIMARY KEY
-- expect: 32:17: must be TIMESTAMP(p) or TIMESTAMP_LTZ(p) with p <= 3, but it is TIMESTAMP(6)
-- expect: 37:3: option 'connector' is given twice
-- expect: 40:14: table 'readings' already exists
-- expect: 46:16: PRIMARY KEY column 'meter' is not a column of 'hourly'
CREATE TABLE meter_readings (
  meter_id STRING,
  kwh DECIMAL(40, 3),
  read_at TIMESTAMP(3)
) WITH ('connector' = 'datagen');

CREATE TABLE meters (
  meter_id STRING,
  site STRING,
  installed DATE,
  PRIMARY KEY (meter_id)
) WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://db:3306/grid', 'table-name' = 'meters');

CREATE TABLE readings (
  meter_id STRING,
  kwh DECIMAL(12, 3),
  read_at TIMESTAMP(3),
  WATERMARK FOR read_at AS read_at - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen');

CREATE TABLE readings_late (
  meter_id STRING,
  read_at TIMESTAMP(6),
  WATERMARK FOR read_at AS read_at
) WITH ('connector' = 'datagen');

CREATE TABLE readings_copy WITH (
  'connector' = 'blackhole',
  'connector' = 'print'
) LIKE readings;

CREATE TABLE readings (meter_id STRING) WITH ('connector' = 'blackhole');

CREATE TABLE hourly (
  meter_id STRING,
  hour_start TIMESTAMP(3),
  kwh DECIMAL(38, 3),
  PRIMARY KEY (meter, hour_start) NOT ENFORCED
) WITH ('connector' = 'print');

CREATE TABLE hourly_ok (
  meter_id STRING,
  hour_start TIMESTAMP(3),
  kwh DECIMAL(38, 3)
) WITH ('connector' = 'print');

INSERT INTO hourly_ok
SELECT meter_id, window_start, SUM(kwh)
FROM TABLE(TUMBLE(TABLE readings, DESCRIPTOR(read_at), INTERVAL '1' HOUR))
GROUP BY meter_id, window_start, window_end;
