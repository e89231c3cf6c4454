-- The reference job's aggregation on local files, runnable today:
-- the mysql-cdc tables are debezium-json changelog files, the jdbc
-- dimension is a CSV file joined with a regular equi-join, and the result
-- is printed as a changelog. Run from the repository root:
--   build/sluice run examples/reference_job_files.sql

SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '2s';
SET 'table.exec.mini-batch.size' = '5000';

CREATE TABLE bill_info (
  billCode STRING, serviceCode STRING, accountPeriod STRING,
  subjectName STRING, subjectCode STRING, occurDate TIMESTAMP(0),
  amt DECIMAL(11,2), status STRING
) WITH ('connector' = 'filesystem', 'path' = 'examples/data/bill_info.json',
        'format' = 'debezium-json');

CREATE TABLE order_info (
  orderCode STRING, serviceCode STRING, accountPeriod STRING,
  subjectName STRING, subjectCode STRING, occurDate TIMESTAMP(0),
  amt DECIMAL(11,2), status STRING
) WITH ('connector' = 'filesystem', 'path' = 'examples/data/order_info.json',
        'format' = 'debezium-json');

CREATE TABLE subject_info (
  code VARCHAR(32) NOT NULL, name VARCHAR(64) NOT NULL,
  PRIMARY KEY (code) NOT ENFORCED
) WITH ('connector' = 'filesystem', 'path' = 'examples/data/subject.csv',
        'format' = 'csv');

CREATE TABLE income_distribution (
  serviceCode STRING, accountPeriod STRING, subjectCode STRING,
  subjectName STRING, amt DECIMAL(13,2),
  PRIMARY KEY (serviceCode, accountPeriod, subjectCode) NOT ENFORCED
) WITH ('connector' = 'print');

INSERT INTO income_distribution
SELECT t1.serviceCode, t1.accountPeriod, t1.subjectCode, t1.subjectName,
       SUM(amt) AS amt
FROM (
  SELECT b.serviceCode, b.accountPeriod, b.subjectCode,
         s.name AS subjectName, SUM(amt) AS amt
  FROM bill_info AS b
  JOIN subject_info s ON b.subjectCode = s.code
  GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name
  UNION ALL
  SELECT b.serviceCode, b.accountPeriod, b.subjectCode,
         s.name AS subjectName, SUM(amt) AS amt
  FROM order_info AS b
  JOIN subject_info s ON b.subjectCode = s.code
  GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name
) AS t1
GROUP BY t1.serviceCode, t1.accountPeriod, t1.subjectCode, t1.subjectName;
