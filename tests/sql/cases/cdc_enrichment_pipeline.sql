-- expect: ok
-- A shop's order stream from MySQL by CDC, enriched three ways (a JDBC
-- lookup as of processing time, an event-time temporal join on a versioned
-- rate table, an interval join with shipments), aggregated in windows and
-- kept in Elasticsearch; the top sellers per day go to upsert-kafka.

SET 'execution.checkpointing.interval' = '1min';
SET 'table.exec.sink.not-null-enforcer' = 'DROP';

CREATE TABLE shop_orders (
  order_id BIGINT NOT NULL,
  customer_id BIGINT,
  sku STRING,
  quantity INT,
  unit_price DECIMAL(10, 2),
  currency CHAR(3),
  ordered_at TIMESTAMP(3),
  source_db STRING METADATA FROM 'database_name' VIRTUAL,
  source_table STRING METADATA FROM 'table_name' VIRTUAL,
  changed_at TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,
  proc_time AS PROCTIME(),
  WATERMARK FOR ordered_at AS ordered_at - INTERVAL '10' SECOND,
  PRIMARY KEY (order_id) NOT ENFORCED
) WITH (
  'connector' = 'mysql-cdc',
  'hostname' = 'shop-db.internal',
  'port' = '3306',
  'username' = 'cdc',
  'password' = 'change-me',
  'database-name' = 'shop_[0-9]+',
  'table-name' = 'orders',
  'server-id' = '7100-7103',
  'scan.startup.mode' = 'initial'
);

CREATE TABLE customer_dim (
  id BIGINT NOT NULL,
  display_name STRING,
  segment STRING,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:mysql://crm-db.internal:3306/crm',
  'table-name' = 'customer',
  'lookup.cache.max-rows' = '20000',
  'lookup.cache.ttl' = '5min'
);

CREATE TABLE eur_rates (
  currency CHAR(3) NOT NULL,
  to_eur DECIMAL(12, 6),
  valid_from TIMESTAMP(3),
  WATERMARK FOR valid_from AS valid_from,
  PRIMARY KEY (currency) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'rates.eur',
  'properties.bootstrap.servers' = 'kafka-1:9092,kafka-2:9092',
  'key.format' = 'raw',
  'value.format' = 'avro'
);

CREATE TABLE shipments (
  order_id BIGINT,
  carrier STRING,
  shipped_at TIMESTAMP(3),
  WATERMARK FOR shipped_at AS shipped_at - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = 'shipping.events',
  'properties.bootstrap.servers' = 'kafka-1:9092',
  'format' = 'json'
);

CREATE TABLE segment_revenue (
  segment STRING,
  day_start TIMESTAMP(3),
  revenue_eur DECIMAL(38, 6),
  orders BIGINT,
  PRIMARY KEY (segment, day_start) NOT ENFORCED
) WITH (
  'connector' = 'elasticsearch-7',
  'hosts' = 'http://es-1.internal:9200;http://es-2.internal:9200',
  'index' = 'segment-revenue',
  'document-id.key-delimiter' = '|',
  'sink.bulk-flush.max-actions' = '2000',
  'sink.bulk-flush.interval' = '5s'
);

CREATE TABLE top_skus (
  day_start TIMESTAMP(3),
  sku STRING,
  units BIGINT,
  rn BIGINT,
  PRIMARY KEY (day_start, rn) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'reports.top-skus',
  'properties.bootstrap.servers' = 'kafka-1:9092',
  'key.format' = 'json',
  'value.format' = 'json'
);

CREATE TEMPORARY VIEW orders_enriched AS
SELECT o.order_id, o.sku, o.quantity, o.ordered_at,
       COALESCE(c.segment, 'unknown') AS segment,
       o.quantity * o.unit_price * r.to_eur AS amount_eur
FROM shop_orders AS o
LEFT JOIN customer_dim FOR SYSTEM_TIME AS OF o.proc_time AS c
  ON o.customer_id = c.id
JOIN eur_rates FOR SYSTEM_TIME AS OF o.ordered_at AS r
  ON o.currency = r.currency;

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO segment_revenue
  SELECT segment, window_start, SUM(amount_eur), COUNT(*)
  FROM TABLE(CUMULATE(TABLE orders_enriched, DESCRIPTOR(ordered_at),
                      INTERVAL '1' HOUR, INTERVAL '1' DAY))
  GROUP BY segment, window_start, window_end;

  INSERT INTO top_skus
  SELECT window_start, sku, units, rn FROM (
    SELECT window_start, sku, units,
           ROW_NUMBER() OVER (PARTITION BY window_start, window_end
                              ORDER BY units DESC) AS rn
    FROM (
      SELECT window_start, window_end, sku, SUM(quantity) AS units
      FROM TABLE(TUMBLE(TABLE shop_orders, DESCRIPTOR(ordered_at),
                        INTERVAL '1' DAY))
      GROUP BY window_start, window_end, sku
    )
  ) WHERE rn <= 10;
END;

-- Orders shipped within two days, for an ad-hoc look.
SELECT o.order_id, s.carrier,
       TIMESTAMPDIFF(HOUR, o.ordered_at, s.shipped_at) AS hours_to_ship
FROM shop_orders o, shipments s
WHERE o.order_id = s.order_id
  AND s.shipped_at BETWEEN o.ordered_at AND o.ordered_at + INTERVAL '2' DAY;
