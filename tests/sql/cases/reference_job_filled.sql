-- expect: ok
-- The reference job of docs/SCENARIO.md with the elided columns and options
-- filled in: billing and order lines by MySQL CDC, the subject dimension
-- looked up by JDBC as of processing time, two GROUP BYs over a UNION ALL,
-- upserted into Elasticsearch. Hosts and credentials are placeholders.

SET 'execution.checkpointing.interval' = '10min';
SET 'execution.checkpointing.tolerable-failed-checkpoints' = '100';
SET 'restart-strategy' = 'fixed-delay';
SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '2s';
SET 'table.exec.mini-batch.size' = '5000';
SET 'table.optimizer.distinct-agg.split.enabled' = 'true';
SET 'state.backend' = 'rocksdb';

CREATE TABLE bill_info (
  billCode STRING,
  serviceCode STRING,
  accountPeriod STRING,
  subjectName STRING,
  subjectCode STRING,
  occurDate TIMESTAMP,
  amt DECIMAL(11,2),
  status STRING,
  proc_time AS PROCTIME()
) WITH (
  'connector' = 'mysql-cdc',
  'hostname' = 'billing-replica.internal',
  'port' = '3307',
  'username' = 'cdc_reader',
  'password' = 'change-me',
  'database-name' = 'cdc',
  'table-name' = 'bill_info'
);

CREATE TABLE order_info (
  orderCode STRING,
  serviceCode STRING,
  accountPeriod STRING,
  subjectName STRING,
  subjectCode STRING,
  occurDate TIMESTAMP,
  amt DECIMAL(11,2),
  status STRING,
  proc_time AS PROCTIME()
) WITH (
  'connector' = 'mysql-cdc',
  'hostname' = 'billing-replica.internal',
  'port' = '3307',
  'username' = 'cdc_reader',
  'password' = 'change-me',
  'database-name' = 'cdc',
  'table-name' = 'order_info'
);

CREATE TABLE subject_info (
  code VARCHAR(32) NOT NULL,
  name VARCHAR(64) NOT NULL,
  PRIMARY KEY (code) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:mysql://spd-db.internal:3307/spd?useSSL=false&autoReconnect=true',
  'driver' = 'com.mysql.cj.jdbc.Driver',
  'table-name' = 'subject',
  'username' = 'spd_reader',
  'password' = 'change-me',
  'lookup.cache.max-rows' = '3000',
  'lookup.cache.ttl' = '10s',
  'lookup.max-retries' = '3'
);

CREATE TABLE income_distribution (
  serviceCode STRING,
  accountPeriod STRING,
  subjectCode STRING,
  subjectName STRING,
  amt DECIMAL(13,2),
  PRIMARY KEY (serviceCode, accountPeriod, subjectCode) NOT ENFORCED
) WITH (
  'connector' = 'elasticsearch-7',
  'hosts' = 'http://es-reporting.internal:9200',
  'index' = 'income_distribution',
  'sink.bulk-flush.backoff.strategy' = 'EXPONENTIAL'
);

INSERT INTO income_distribution
SELECT t1.serviceCode, t1.accountPeriod, t1.subjectCode, t1.subjectName,
       SUM(amt) AS amt
FROM (
  SELECT b.serviceCode, b.accountPeriod, b.subjectCode,
         s.name AS subjectName, SUM(amt) AS amt
  FROM bill_info AS b
  JOIN subject_info FOR SYSTEM_TIME AS OF b.proc_time s
    ON b.subjectCode = s.code
  GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name
  UNION ALL
  SELECT b.serviceCode, b.accountPeriod, b.subjectCode,
         s.name AS subjectName, SUM(amt) AS amt
  FROM order_info AS b
  JOIN subject_info FOR SYSTEM_TIME AS OF b.proc_time s
    ON b.subjectCode = s.code
  GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name
) AS t1
GROUP BY t1.serviceCode, t1.accountPeriod, t1.subjectCode, t1.subjectName;
