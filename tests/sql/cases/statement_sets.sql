-- expect: ok
-- One source fanned out to several sinks in one job: EXECUTE STATEMENT SET
-- with BEGIN ... END (';' inside the block, CASE ... END inside an INSERT),
-- the SQL client's BEGIN STATEMENT SET; ... END; and EXPLAIN of a set.
CREATE TABLE sales (
  sale_id BIGINT,
  store STRING,
  sku STRING,
  qty INT,
  price DECIMAL(10, 2),
  sold_at TIMESTAMP(3),
  WATERMARK FOR sold_at AS sold_at - INTERVAL '3' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'pos.sales',
  'properties.bootstrap.servers' = 'kafka-1:9092',
  'properties.group.id' = 'sales-fanout',
  'format' = 'json'
);

CREATE TABLE store_revenue (
  store STRING,
  window_end TIMESTAMP(3),
  revenue DECIMAL(38, 2),
  PRIMARY KEY (store, window_end) NOT ENFORCED
) WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://reports:3306/pos',
        'table-name' = 'store_revenue');

CREATE TABLE big_tickets (
  sale_id BIGINT,
  store STRING,
  band STRING
) WITH ('connector' = 'print', 'print-identifier' = 'big');

CREATE TABLE sales_archive WITH (
  'connector' = 'filesystem',
  'path' = 's3a://archive/sales',
  'format' = 'parquet'
) LIKE sales (EXCLUDING ALL);

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO store_revenue
  SELECT store, window_end, SUM(qty * price)
  FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(sold_at), INTERVAL '1' HOUR))
  GROUP BY store, window_start, window_end;

  INSERT INTO big_tickets
  SELECT sale_id, store,
         CASE WHEN qty * price > 1000 THEN 'huge; check' ELSE 'big' END
  FROM sales
  WHERE qty * price > 500;

  INSERT INTO sales_archive SELECT * FROM sales;
END;

BEGIN STATEMENT SET;
INSERT INTO big_tickets SELECT sale_id, store, 'replay' FROM sales;
INSERT INTO sales_archive
  SELECT sale_id, store, sku, qty, price, sold_at FROM sales;
END;

EXPLAIN EXECUTE STATEMENT SET BEGIN
  INSERT INTO big_tickets SELECT sale_id, store, 'x' FROM sales;
END;
