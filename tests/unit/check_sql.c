/* check_sql.c - the SQL front end: scripts that parse and bind, scripts that
 * must be rejected at a given position, and how a script is cut into
 * statements and positions are reported.
 *
 * Every case is a whole script run through sl_script_parse() and
 * sl_bind_script() with a fresh catalog, as `sluice check` does. The SQL is
 * written for these tests: realistic Flink SQL jobs (CDC sources, lookup
 * dimensions, windows, sinks), one feature per row. Accepted rows also give
 * the number of statements the script parses into; rejected rows give the
 * 1-based line and column of the first error (by offset) and a fragment of
 * its message.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sql/bind.h"
#include "sql/sql.h"
#include "testutil.h"

/* ---- helpers -------------------------------------------------------------- */

/* Parses and (unless parse_only) binds sql into sc with a catalog of its own;
 * the catalog is freed before returning (its entries point into sc). */
static void run_script(sl_script_t *sc, const char *sql, bool parse_only)
{
    int rc = sl_script_parse(sc, "case.sql", sql, strlen(sql));
    ck_assert_int_eq(rc, 0);
    if (parse_only) return;
    sl_catalog_t *cat = sl_catalog_new();
    ck_assert_ptr_nonnull(cat);
    rc = sl_bind_script(sc, cat);
    sl_catalog_free(cat);
    ck_assert_int_eq(rc, 0);
}

/* The error diagnostic with the smallest offset (the first of equals). */
static const sl_diag_t *first_error(const sl_script_t *sc)
{
    const sl_diag_t *best = NULL;
    for (int i = 0; i < sc->diags.n; i++) {
        const sl_diag_t *d = SL_LIST_AT(sc->diags, i, const sl_diag_t *);
        if (d->level != SL_DIAG_ERROR) continue;
        if (!best || d->off < best->off) best = d;
    }
    return best;
}

/* Every diagnostic as "LINE:COL: msg" lines, for failure messages. */
static const char *diag_text(const sl_script_t *sc)
{
    static char buf[4096];
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < sc->diags.n && o < sizeof buf - 1; i++) {
        const sl_diag_t *d = SL_LIST_AT(sc->diags, i, const sl_diag_t *);
        int line = 0, col = 0;
        if (d->off >= 0) sl_script_linecol(sc, d->off, &line, &col);
        int k = snprintf(buf + o, sizeof buf - o, "\n    %d:%d: %s", line, col,
                         d->msg);
        if (k < 0) break;
        o += (size_t)k < sizeof buf - o ? (size_t)k : sizeof buf - o - 1;
    }
    return buf;
}

/* ---- shared tables -------------------------------------------------------- */

/* Page views from Kafka: an event-time attribute and a processing-time one. */
#define CLICKS                                                              \
    "CREATE TABLE clicks (\n"                                               \
    "  user_id BIGINT,\n"                                                   \
    "  page STRING,\n"                                                      \
    "  referrer STRING,\n"                                                  \
    "  duration_ms INT,\n"                                                  \
    "  click_ts TIMESTAMP(3),\n"                                            \
    "  proc_time AS PROCTIME(),\n"                                          \
    "  WATERMARK FOR click_ts AS click_ts - INTERVAL '5' SECOND\n"          \
    ") WITH (\n"                                                            \
    "  'connector' = 'kafka',\n"                                            \
    "  'topic' = 'web.clicks',\n"                                           \
    "  'properties.bootstrap.servers' = 'broker-1:9092,broker-2:9092',\n"   \
    "  'properties.group.id' = 'click-readers',\n"                          \
    "  'scan.startup.mode' = 'earliest-offset',\n"                          \
    "  'format' = 'json'\n"                                                 \
    ");\n"

/* Card payments from MySQL by CDC, with a processing-time column for
 * lookup joins and an event-time one for windows. */
#define PAYMENTS                                                            \
    "CREATE TABLE payments (\n"                                             \
    "  pay_id BIGINT NOT NULL,\n"                                           \
    "  order_no STRING,\n"                                                  \
    "  cust_id BIGINT,\n"                                                   \
    "  amount DECIMAL(12, 2),\n"                                            \
    "  currency CHAR(3),\n"                                                 \
    "  status STRING,\n"                                                    \
    "  paid_at TIMESTAMP(3),\n"                                             \
    "  proc_time AS PROCTIME(),\n"                                          \
    "  WATERMARK FOR paid_at AS paid_at - INTERVAL '2' SECOND,\n"           \
    "  PRIMARY KEY (pay_id) NOT ENFORCED\n"                                 \
    ") WITH (\n"                                                            \
    "  'connector' = 'mysql-cdc',\n"                                        \
    "  'hostname' = 'mysql.billing.local',\n"                               \
    "  'port' = '3306',\n"                                                  \
    "  'username' = 'reader',\n"                                            \
    "  'password' = 'not-a-real-one',\n"                                    \
    "  'database-name' = 'billing',\n"                                      \
    "  'table-name' = 'payments'\n"                                         \
    ");\n"

/* A customer dimension in MySQL, read by JDBC lookups. */
#define CUSTOMERS                                                           \
    "CREATE TABLE customers (\n"                                            \
    "  cust_id BIGINT NOT NULL,\n"                                          \
    "  cust_name VARCHAR(80),\n"                                            \
    "  tier STRING,\n"                                                      \
    "  region STRING,\n"                                                    \
    "  PRIMARY KEY (cust_id) NOT ENFORCED\n"                                \
    ") WITH (\n"                                                            \
    "  'connector' = 'jdbc',\n"                                             \
    "  'url' = 'jdbc:mysql://mysql.crm.local:3306/crm',\n"                  \
    "  'table-name' = 'customers',\n"                                       \
    "  'lookup.cache.max-rows' = '10000',\n"                                \
    "  'lookup.cache.ttl' = '1min'\n"                                       \
    ");\n"

/* Exchange rates as a versioned table (event time, primary key). */
#define RATES                                                               \
    "CREATE TABLE fx_rates (\n"                                             \
    "  currency CHAR(3) NOT NULL,\n"                                        \
    "  eur_rate DECIMAL(10, 6),\n"                                          \
    "  updated_at TIMESTAMP(3),\n"                                          \
    "  WATERMARK FOR updated_at AS updated_at,\n"                           \
    "  PRIMARY KEY (currency) NOT ENFORCED\n"                               \
    ") WITH (\n"                                                            \
    "  'connector' = 'upsert-kafka',\n"                                     \
    "  'topic' = 'fx.rates',\n"                                             \
    "  'properties.bootstrap.servers' = 'broker-1:9092',\n"                 \
    "  'key.format' = 'raw',\n"                                             \
    "  'value.format' = 'json'\n"                                           \
    ");\n"

/* Parcel deliveries: the other side of interval joins with payments. */
#define DELIVERIES                                                          \
    "CREATE TABLE deliveries (\n"                                           \
    "  delivery_id BIGINT,\n"                                               \
    "  order_no STRING,\n"                                                  \
    "  courier STRING,\n"                                                   \
    "  delivered_at TIMESTAMP(3),\n"                                        \
    "  WATERMARK FOR delivered_at AS delivered_at - INTERVAL '1' MINUTE\n"  \
    ") WITH (\n"                                                            \
    "  'connector' = 'kafka',\n"                                            \
    "  'topic' = 'parcel.delivered',\n"                                     \
    "  'properties.bootstrap.servers' = 'broker-1:9092',\n"                 \
    "  'format' = 'avro'\n"                                                 \
    ");\n"

/* A print sink for the per-page counts of several rows. */
#define PAGE_SINK                                                           \
    "CREATE TABLE page_stats (\n"                                           \
    "  page STRING,\n"                                                      \
    "  views BIGINT\n"                                                      \
    ") WITH ('connector' = 'print');\n"

/* ---- scripts that parse and bind ------------------------------------------ */

typedef struct ok_case {
    const char *name;
    const char *sql;
    int nstmts;                /* statements parsed (script->stmts.n) */
} ok_case_t;

static const ok_case_t ok_cases[] = {
    /* ---- connectors ---- */
    {"mysql_cdc_metadata",
     "CREATE TABLE shipments (\n"
     "  shipment_id BIGINT,\n"
     "  carrier STRING,\n"
     "  weight_kg DECIMAL(8, 3),\n"
     "  dest_city VARCHAR(40),\n"
     "  shipped_at TIMESTAMP(3),\n"
     "  db_name STRING METADATA FROM 'database_name' VIRTUAL,\n"
     "  tbl_name STRING METADATA FROM 'table_name' VIRTUAL,\n"
     "  changed_at TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,\n"
     "  PRIMARY KEY (shipment_id) NOT ENFORCED\n"
     ") WITH (\n"
     "  'connector' = 'mysql-cdc',\n"
     "  'hostname' = 'db.logistics.local',\n"
     "  'port' = '3306',\n"
     "  'username' = 'flink_cdc',\n"
     "  'password' = 'placeholder',\n"
     "  'database-name' = 'logistics',\n"
     "  'table-name' = 'shipments',\n"
     "  'server-id' = '5401-5404',\n"
     "  'scan.startup.mode' = 'initial'\n"
     ");\n",
     1},
    {"mysql_cdc_regex_tables_latest",
     "CREATE TABLE sharded_users (\n"
     "  id BIGINT NOT NULL,\n"
     "  email STRING,\n"
     "  source_db STRING METADATA FROM 'database_name' VIRTUAL,\n"
     "  source_table STRING METADATA FROM 'table_name' VIRTUAL,\n"
     "  PRIMARY KEY (id) NOT ENFORCED\n"
     ") WITH (\n"
     "  'connector' = 'mysql-cdc',\n"
     "  'hostname' = '10.0.0.5',\n"
     "  'port' = '3307',\n"
     "  'username' = 'cdc',\n"
     "  'password' = 'placeholder',\n"
     "  'database-name' = 'users_[0-9]+',\n"
     "  'table-name' = 'user_[0-9]+',\n"
     "  'server-id' = '6001',\n"
     "  'scan.startup.mode' = 'latest-offset',\n"
     "  'scan.incremental.snapshot.chunk.size' = '4096'\n"
     ");\n",
     1},
    {"mysql_cdc_metadata_without_from",
     "CREATE TABLE audit_rows (\n"
     "  row_id INT,\n"
     "  note STRING,\n"
     "  op_ts TIMESTAMP_LTZ(3) METADATA VIRTUAL,\n"
     "  PRIMARY KEY (row_id) NOT ENFORCED\n"
     ") WITH (\n"
     "  'connector' = 'mysql-cdc',\n"
     "  'hostname' = 'localhost', 'port' = '3306',\n"
     "  'username' = 'u', 'password' = 'p',\n"
     "  'database-name' = 'audit', 'table-name' = 'audit_rows'\n"
     ");\n",
     1},
    {"jdbc_lookup_dimension", CUSTOMERS, 1},
    {"jdbc_sink_buffered",
     "CREATE TABLE daily_revenue (\n"
     "  day_key DATE NOT NULL,\n"
     "  revenue DECIMAL(20, 2),\n"
     "  orders BIGINT,\n"
     "  PRIMARY KEY (day_key) NOT ENFORCED\n"
     ") WITH (\n"
     "  'connector' = 'jdbc',\n"
     "  'url' = 'jdbc:postgresql://pg.reporting:5432/reports',\n"
     "  'table-name' = 'public.daily_revenue',\n"
     "  'username' = 'writer',\n"
     "  'password' = 'placeholder',\n"
     "  'sink.buffer-flush.max-rows' = '500',\n"
     "  'sink.buffer-flush.interval' = '1s',\n"
     "  'sink.max-retries' = '5'\n"
     ");\n",
     1},
    {"jdbc_lookup_partial_cache",
     "CREATE TABLE products (\n"
     "  sku STRING,\n"
     "  title STRING,\n"
     "  list_price DECIMAL(10, 2),\n"
     "  PRIMARY KEY (sku) NOT ENFORCED\n"
     ") WITH (\n"
     "  'connector' = 'jdbc',\n"
     "  'url' = 'jdbc:mysql://catalog-db:3306/shop?useSSL=false',\n"
     "  'driver' = 'com.mysql.cj.jdbc.Driver',\n"
     "  'table-name' = 'products',\n"
     "  'lookup.cache' = 'PARTIAL',\n"
     "  'lookup.partial-cache.max-rows' = '50000',\n"
     "  'lookup.partial-cache.expire-after-write' = '10min',\n"
     "  'lookup.cache.caching-missing-key' = 'false',\n"
     "  'lookup.max-retries' = '2'\n"
     ");\n",
     1},
    {"elasticsearch7_sink",
     "CREATE TABLE carrier_weights (\n"
     "  carrier STRING,\n"
     "  dest_city STRING,\n"
     "  total_kg DECIMAL(18, 3),\n"
     "  PRIMARY KEY (carrier, dest_city) NOT ENFORCED\n"
     ") WITH (\n"
     "  'connector' = 'elasticsearch-7',\n"
     "  'hosts' = 'http://es-1:9200;http://es-2:9200',\n"
     "  'index' = 'carrier-weights',\n"
     "  'document-id.key-delimiter' = '$',\n"
     "  'sink.bulk-flush.max-actions' = '1000',\n"
     "  'sink.bulk-flush.max-size' = '2mb',\n"
     "  'sink.bulk-flush.interval' = '1s',\n"
     "  'sink.bulk-flush.backoff.strategy' = 'CONSTANT',\n"
     "  'sink.bulk-flush.backoff.max-retries' = '3',\n"
     "  'sink.bulk-flush.backoff.delay' = '500ms'\n"
     ");\n",
     1},
    {"elasticsearch7_dynamic_index",
     "CREATE TABLE app_logs_es (\n"
     "  log_day STRING,\n"
     "  level STRING,\n"
     "  message STRING\n"
     ") WITH (\n"
     "  'connector' = 'elasticsearch-7',\n"
     "  'hosts' = 'https://search.internal:9243',\n"
     "  'index' = 'app-logs-{log_day}',\n"
     "  'username' = 'ingest',\n"
     "  'password' = 'placeholder',\n"
     "  'format' = 'json'\n"
     ");\n",
     1},
    {"kafka_json_source", CLICKS, 1},
    {"kafka_csv_properties",
     "CREATE TABLE sensor_readings (\n"
     "  sensor_id STRING,\n"
     "  celsius DOUBLE,\n"
     "  humidity FLOAT,\n"
     "  read_at TIMESTAMP(3)\n"
     ") WITH (\n"
     "  'connector' = 'kafka',\n"
     "  'topic' = 'iot.readings;iot.readings.backfill',\n"
     "  'properties.bootstrap.servers' = 'kafka:9092',\n"
     "  'properties.group.id' = 'iot-1',\n"
     "  'properties.auto.offset.reset' = 'earliest',\n"
     "  'properties.security.protocol' = 'SASL_SSL',\n"
     "  'scan.startup.mode' = 'timestamp',\n"
     "  'scan.startup.timestamp-millis' = '1700000000000',\n"
     "  'format' = 'csv',\n"
     "  'csv.field-delimiter' = ';',\n"
     "  'csv.ignore-parse-errors' = 'true'\n"
     ");\n",
     1},
    {"kafka_debezium_json_metadata",
     "CREATE TABLE inventory_changes (\n"
     "  item_id INT,\n"
     "  on_hand INT,\n"
     "  topic_name STRING METADATA FROM 'topic' VIRTUAL,\n"
     "  part INT METADATA FROM 'partition' VIRTUAL,\n"
     "  kafka_ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp'\n"
     ") WITH (\n"
     "  'connector' = 'kafka',\n"
     "  'topic' = 'dbserver1.inventory.items',\n"
     "  'properties.bootstrap.servers' = 'kafka:9092',\n"
     "  'format' = 'debezium-json',\n"
     "  'debezium-json.schema-include' = 'false'\n"
     ");\n",
     1},
    {"upsert_kafka_sink",
     "CREATE TABLE user_totals (\n"
     "  user_id BIGINT,\n"
     "  total_clicks BIGINT,\n"
     "  last_seen TIMESTAMP(3),\n"
     "  PRIMARY KEY (user_id) NOT ENFORCED\n"
     ") WITH (\n"
     "  'connector' = 'upsert-kafka',\n"
     "  'topic' = 'user.totals',\n"
     "  'properties.bootstrap.servers' = 'kafka:9092',\n"
     "  'key.format' = 'json',\n"
     "  'value.format' = 'json',\n"
     "  'value.fields-include' = 'EXCEPT_KEY',\n"
     "  'sink.buffer-flush.max-rows' = '1000',\n"
     "  'sink.buffer-flush.interval' = '1s'\n"
     ");\n",
     1},
    {"upsert_kafka_versioned", RATES, 1},
    {"datagen_fields",
     "CREATE TABLE fake_orders (\n"
     "  order_id BIGINT,\n"
     "  shop_id INT,\n"
     "  price DOUBLE,\n"
     "  coupon STRING,\n"
     "  created TIMESTAMP(3)\n"
     ") WITH (\n"
     "  'connector' = 'datagen',\n"
     "  'rows-per-second' = '200',\n"
     "  'number-of-rows' = '100000',\n"
     "  'fields.order_id.kind' = 'sequence',\n"
     "  'fields.order_id.start' = '1',\n"
     "  'fields.order_id.end' = '100000',\n"
     "  'fields.shop_id.kind' = 'random',\n"
     "  'fields.shop_id.min' = '1',\n"
     "  'fields.shop_id.max' = '40',\n"
     "  'fields.price.min' = '0.5',\n"
     "  'fields.price.max' = '999.99',\n"
     "  'fields.coupon.length' = '8',\n"
     "  'fields.created.max-past' = '5s'\n"
     ");\n",
     1},
    {"print_sink_options",
     "CREATE TABLE debug_out (\n"
     "  k STRING,\n"
     "  v BIGINT\n"
     ") WITH (\n"
     "  'connector' = 'print',\n"
     "  'print-identifier' = 'dbg',\n"
     "  'standard-error' = 'true',\n"
     "  'sink.parallelism' = '1'\n"
     ");\n",
     1},
    {"blackhole_sink_like",
     CLICKS
     "CREATE TABLE clicks_discard WITH ('connector' = 'blackhole')\n"
     "LIKE clicks (EXCLUDING ALL);\n",
     2},
    {"filesystem_partitioned",
     "CREATE TABLE click_archive (\n"
     "  user_id BIGINT,\n"
     "  page STRING,\n"
     "  dt STRING,\n"
     "  hr STRING\n"
     ") PARTITIONED BY (dt, hr) WITH (\n"
     "  'connector' = 'filesystem',\n"
     "  'path' = 's3a://lake/raw/clicks',\n"
     "  'format' = 'parquet',\n"
     "  'sink.rolling-policy.file-size' = '128MB',\n"
     "  'sink.partition-commit.trigger' = 'process-time',\n"
     "  'sink.partition-commit.delay' = '1 h',\n"
     "  'sink.partition-commit.policy.kind' = 'success-file'\n"
     ");\n",
     1},
    {"filesystem_csv_source",
     "CREATE TABLE zip_codes (\n"
     "  zip CHAR(5),\n"
     "  city STRING,\n"
     "  state CHAR(2)\n"
     ") WITH (\n"
     "  'connector' = 'filesystem',\n"
     "  'path' = 'file:///data/zip_codes.csv',\n"
     "  'format' = 'csv',\n"
     "  'csv.allow-comments' = 'true'\n"
     ");\n",
     1},

    /* ---- types ---- */
    {"types_numeric",
     "CREATE TABLE numeric_zoo (\n"
     "  c_bool BOOLEAN,\n"
     "  c_tiny TINYINT,\n"
     "  c_small SMALLINT,\n"
     "  c_int INT,\n"
     "  c_integer INTEGER,\n"
     "  c_big BIGINT,\n"
     "  c_dec DECIMAL(38, 18),\n"
     "  c_dec_default DECIMAL,\n"
     "  c_dec_p DECIMAL(10),\n"
     "  c_dec_short DEC(6, 2),\n"
     "  c_numeric NUMERIC(5, 0),\n"
     "  c_float FLOAT,\n"
     "  c_real REAL,\n"
     "  c_double DOUBLE,\n"
     "  c_double_precision DOUBLE PRECISION\n"
     ") WITH ('connector' = 'datagen');\n",
     1},
    {"types_character_binary",
     "CREATE TABLE text_zoo (\n"
     "  c_char CHAR,\n"
     "  c_char10 CHAR(10),\n"
     "  c_character CHARACTER(4),\n"
     "  c_varchar VARCHAR(255),\n"
     "  c_varying CHARACTER VARYING(20),\n"
     "  c_string STRING,\n"
     "  c_binary BINARY(16),\n"
     "  c_varbinary VARBINARY(64),\n"
     "  c_bytes BYTES\n"
     ") WITH ('connector' = 'datagen');\n",
     1},
    {"types_datetime",
     "CREATE TABLE time_zoo (\n"
     "  c_date DATE,\n"
     "  c_time TIME,\n"
     "  c_time3 TIME(3),\n"
     "  c_ts TIMESTAMP,\n"
     "  c_ts0 TIMESTAMP(0),\n"
     "  c_ts9 TIMESTAMP(9),\n"
     "  c_ts_without TIMESTAMP(6) WITHOUT TIME ZONE,\n"
     "  c_ltz TIMESTAMP_LTZ(3),\n"
     "  c_ltz_default TIMESTAMP_LTZ,\n"
     "  c_ltz_long TIMESTAMP(3) WITH LOCAL TIME ZONE\n"
     ") WITH ('connector' = 'datagen');\n",
     1},
    {"types_nested",
     "CREATE TABLE profile_docs (\n"
     "  id BIGINT,\n"
     "  address ROW<street STRING, zip INT, geo ROW<lat DOUBLE, lon DOUBLE>>,\n"
     "  contact ROW(phone STRING, email STRING),\n"
     "  tags ARRAY<STRING>,\n"
     "  scores MAP<STRING, DOUBLE>,\n"
     "  history ARRAY<ROW<happened TIMESTAMP(3), what STRING>>,\n"
     "  buckets MAP<INT, ARRAY<BIGINT>>,\n"
     "  flags BOOLEAN ARRAY\n"
     ") WITH (\n"
     "  'connector' = 'kafka',\n"
     "  'topic' = 'profiles',\n"
     "  'properties.bootstrap.servers' = 'kafka:9092',\n"
     "  'format' = 'json'\n"
     ");\n",
     1},
    {"types_not_null",
     "CREATE TABLE strict_rows (\n"
     "  id BIGINT NOT NULL,\n"
     "  label VARCHAR(10) NOT NULL,\n"
     "  maybe INT NULL,\n"
     "  items ARRAY<INT NOT NULL> NOT NULL,\n"
     "  attrs MAP<STRING NOT NULL, STRING>,\n"
     "  pos ROW<x INT NOT NULL, y INT NOT NULL>\n"
     ") WITH ('connector' = 'blackhole');\n",
     1},
    {"types_interval_columns",
     "CREATE TABLE durations (\n"
     "  d1 INTERVAL DAY,\n"
     "  d2 INTERVAL DAY TO SECOND,\n"
     "  d3 INTERVAL YEAR TO MONTH,\n"
     "  d4 INTERVAL HOUR TO MINUTE\n"
     ") WITH ('connector' = 'blackhole');\n",
     1},

    /* ---- columns, keys, watermarks ---- */
    {"computed_columns",
     "CREATE TABLE order_lines (\n"
     "  line_id BIGINT,\n"
     "  qty INT,\n"
     "  unit_price DECIMAL(10, 2),\n"
     "  epoch_ms BIGINT,\n"
     "  raw_total STRING,\n"
     "  line_total AS qty * unit_price,\n"
     "  with_tax AS qty * unit_price * 1.2,\n"
     "  total_num AS CAST(raw_total AS DECIMAL(12, 2)),\n"
     "  created AS TO_TIMESTAMP(FROM_UNIXTIME(epoch_ms / 1000)),\n"
     "  pt AS PROCTIME()\n"
     ") WITH ('connector' = 'datagen');\n",
     1},
    {"watermark_on_computed_column",
     "CREATE TABLE meter_ticks (\n"
     "  meter STRING,\n"
     "  kwh DOUBLE,\n"
     "  ts_text STRING,\n"
     "  tick_time AS TO_TIMESTAMP(ts_text, 'yyyy-MM-dd HH:mm:ss'),\n"
     "  WATERMARK FOR tick_time AS tick_time - INTERVAL '30' SECOND\n"
     ") WITH (\n"
     "  'connector' = 'kafka',\n"
     "  'topic' = 'meters',\n"
     "  'properties.bootstrap.servers' = 'kafka:9092',\n"
     "  'format' = 'json'\n"
     ");\n",
     1},
    {"watermark_on_ltz_from_epoch",
     "CREATE TABLE app_events (\n"
     "  evt STRING,\n"
     "  epoch_ms BIGINT,\n"
     "  evt_time AS TO_TIMESTAMP_LTZ(epoch_ms, 3),\n"
     "  WATERMARK FOR evt_time AS evt_time - INTERVAL '1' SECOND\n"
     ") WITH ('connector' = 'datagen');\n",
     1},
    {"watermark_strictly_ascending",
     "CREATE TABLE ledger (\n"
     "  entry_id BIGINT,\n"
     "  booked_at TIMESTAMP(3) NOT NULL,\n"
     "  WATERMARK FOR booked_at AS booked_at\n"
     ") WITH ('connector' = 'datagen');\n",
     1},
    {"primary_key_inline",
     "CREATE TABLE sessions (\n"
     "  session_id STRING PRIMARY KEY NOT ENFORCED,\n"
     "  user_id BIGINT,\n"
     "  started TIMESTAMP(3)\n"
     ") WITH ('connector' = 'blackhole');\n",
     1},
    {"primary_key_named_constraint",
     "CREATE TABLE stock_levels (\n"
     "  warehouse_id INT NOT NULL,\n"
     "  sku STRING NOT NULL,\n"
     "  units INT,\n"
     "  CONSTRAINT pk_stock PRIMARY KEY (warehouse_id, sku) NOT ENFORCED\n"
     ") WITH ('connector' = 'blackhole');\n",
     1},
    {"comments_on_columns_and_table",
     "CREATE TABLE tariffs (\n"
     "  code STRING COMMENT 'tariff code, e.g. ''T1''',\n"
     "  cents INT COMMENT 'price per unit',\n"
     "  valid_from DATE\n"
     ") COMMENT 'tariffs imported nightly'\n"
     "WITH ('connector' = 'filesystem', 'path' = '/data/tariffs', "
     "'format' = 'json');\n",
     1},
    {"partitioned_by_with_comment",
     "CREATE TABLE metrics_by_day (\n"
     "  host STRING,\n"
     "  cpu DOUBLE,\n"
     "  day_key STRING\n"
     ") COMMENT 'host metrics'\n"
     "PARTITIONED BY (day_key)\n"
     "WITH ('connector' = 'filesystem', 'path' = 'hdfs:///metrics', "
     "'format' = 'orc');\n",
     1},
    {"like_overwriting_options",
     CLICKS
     "CREATE TABLE clicks_replay WITH (\n"
     "  'scan.startup.mode' = 'latest-offset',\n"
     "  'properties.group.id' = 'replayer'\n"
     ") LIKE clicks (OVERWRITING OPTIONS);\n",
     2},
    {"like_including_excluding",
     CLICKS
     "CREATE TABLE clicks_copy (\n"
     "  session_key STRING\n"
     ") WITH (\n"
     "  'connector' = 'kafka',\n"
     "  'topic' = 'web.clicks.copy',\n"
     "  'properties.bootstrap.servers' = 'kafka:9092',\n"
     "  'format' = 'json'\n"
     ") LIKE clicks (\n"
     "  INCLUDING GENERATED\n"
     "  INCLUDING WATERMARKS\n"
     "  EXCLUDING OPTIONS\n"
     ");\n",
     2},
    {"create_temporary_if_not_exists",
     "CREATE TEMPORARY TABLE IF NOT EXISTS tmp_numbers (\n"
     "  n INT\n"
     ") WITH ('connector' = 'datagen', 'number-of-rows' = '10');\n"
     "CREATE TEMPORARY TABLE IF NOT EXISTS tmp_numbers (\n"
     "  n INT\n"
     ") WITH ('connector' = 'datagen');\n"
     "SELECT n FROM tmp_numbers;\n",
     3},
    {"create_table_as_select",
     CLICKS
     "CREATE TABLE long_visits WITH (\n"
     "  'connector' = 'kafka',\n"
     "  'topic' = 'web.long-visits',\n"
     "  'properties.bootstrap.servers' = 'kafka:9092',\n"
     "  'format' = 'json'\n"
     ") AS SELECT user_id, page, duration_ms FROM clicks\n"
     "WHERE duration_ms > 60000;\n"
     "SELECT user_id FROM long_visits;\n",
     3},
    {"create_view_and_select",
     CLICKS
     "CREATE VIEW landing_clicks AS\n"
     "SELECT user_id, page, click_ts FROM clicks WHERE page LIKE '/landing/%';\n"
     "SELECT page, COUNT(*) AS n FROM landing_clicks GROUP BY page;\n",
     3},
    {"create_view_column_list",
     PAYMENTS
     "CREATE VIEW settled (pid, amt, cur) COMMENT 'settled payments only' AS\n"
     "SELECT pay_id, amount, currency FROM payments WHERE status = 'SETTLED';\n"
     "SELECT cur, SUM(amt) FROM settled GROUP BY cur;\n",
     3},
    {"create_temporary_view_if_not_exists",
     CLICKS
     "CREATE TEMPORARY VIEW IF NOT EXISTS bounces AS\n"
     "SELECT * FROM clicks WHERE duration_ms < 1000;\n"
     "CREATE TEMPORARY VIEW IF NOT EXISTS bounces AS SELECT 1 AS n;\n"
     "SELECT page FROM bounces;\n",
     4},
    {"drop_table_and_recreate",
     "CREATE TABLE scratch (a INT) WITH ('connector' = 'blackhole');\n"
     "DROP TABLE scratch;\n"
     "CREATE TABLE scratch (a INT, b STRING) WITH ('connector' = 'blackhole');\n"
     "INSERT INTO scratch VALUES (1, 'one');\n",
     4},
    {"drop_if_exists_missing",
     "DROP TABLE IF EXISTS never_created;\n"
     "DROP VIEW IF EXISTS never_created_view;\n"
     "DROP TEMPORARY TABLE IF EXISTS tmp_missing;\n",
     3},
    {"drop_view",
     CLICKS
     "CREATE VIEW home_clicks AS SELECT * FROM clicks WHERE page = '/';\n"
     "DROP VIEW home_clicks;\n"
     "DROP VIEW IF EXISTS home_clicks;\n",
     4},
    {"drop_temporary_table",
     "CREATE TEMPORARY TABLE t_tmp (x INT) WITH ('connector' = 'datagen');\n"
     "DROP TEMPORARY TABLE t_tmp;\n",
     2},

    /* ---- INSERT and statement sets ---- */
    {"insert_select",
     CLICKS PAGE_SINK
     "INSERT INTO page_stats SELECT page, COUNT(*) FROM clicks GROUP BY page;\n",
     3},
    {"insert_column_list",
     CLICKS
     "CREATE TABLE visit_log (\n"
     "  uid BIGINT, url STRING, note STRING, seen TIMESTAMP(3)\n"
     ") WITH ('connector' = 'print');\n"
     "INSERT INTO visit_log (uid, url, seen)\n"
     "SELECT user_id, page, click_ts FROM clicks;\n",
     3},
    {"insert_values",
     "CREATE TABLE currencies (\n"
     "  code CHAR(3), name STRING, minor_units INT, since DATE\n"
     ") WITH ('connector' = 'print');\n"
     "INSERT INTO currencies VALUES\n"
     "  ('EUR', 'Euro', 2, DATE '1999-01-01'),\n"
     "  ('JPY', 'Yen', 0, DATE '1871-06-27'),\n"
     "  ('KWD', 'Kuwaiti dinar', 3, NULL);\n",
     2},
    {"insert_values_with_column_list",
     "CREATE TABLE kv_sink (k STRING, v BIGINT, note STRING)\n"
     "WITH ('connector' = 'blackhole');\n"
     "INSERT INTO kv_sink (v, k) VALUES (1, 'a'), (2, 'b');\n",
     2},
    {"insert_from_view",
     CLICKS PAGE_SINK
     "CREATE VIEW page_counts AS\n"
     "SELECT page, COUNT(*) AS views FROM clicks GROUP BY page;\n"
     "INSERT INTO page_stats SELECT * FROM page_counts;\n",
     4},
    {"insert_with_sink_hint",
     CLICKS PAGE_SINK
     "INSERT INTO page_stats /*+ OPTIONS('sink.parallelism' = '2') */\n"
     "SELECT page, COUNT(user_id) FROM clicks GROUP BY page;\n",
     3},
    {"insert_into_partition",
     "CREATE TABLE daily_files (msg STRING, dt STRING) PARTITIONED BY (dt)\n"
     "WITH ('connector' = 'filesystem', 'path' = '/tmp/out', 'format' = 'json');\n"
     "INSERT INTO daily_files PARTITION (dt = '2024-05-01') SELECT 'hello';\n",
     2},
    {"insert_overwrite",
     "CREATE TABLE snapshot_files (k INT, v STRING)\n"
     "WITH ('connector' = 'filesystem', 'path' = '/tmp/snap', 'format' = 'csv');\n"
     "INSERT OVERWRITE snapshot_files VALUES (1, 'x');\n",
     2},
    {"insert_widening_types",
     "CREATE TABLE wide_sink (a BIGINT, b DECIMAL(20, 4), c DOUBLE, d STRING)\n"
     "WITH ('connector' = 'blackhole');\n"
     "INSERT INTO wide_sink SELECT CAST(1 AS TINYINT), 12.5, 3, 'x';\n",
     2},
    {"execute_statement_set",
     CLICKS PAGE_SINK
     "CREATE TABLE user_stats (user_id BIGINT, views BIGINT)\n"
     "WITH ('connector' = 'print');\n"
     "EXECUTE STATEMENT SET\n"
     "BEGIN\n"
     "  INSERT INTO page_stats SELECT page, COUNT(*) FROM clicks GROUP BY page;\n"
     "  INSERT INTO user_stats\n"
     "    SELECT user_id, COUNT(*) FROM clicks GROUP BY user_id;\n"
     "END;\n",
     4},
    {"begin_statement_set_end",
     CLICKS PAGE_SINK
     "BEGIN STATEMENT SET;\n"
     "INSERT INTO page_stats SELECT page, 1 FROM clicks;\n"
     "INSERT INTO page_stats SELECT referrer, 2 FROM clicks;\n"
     "END;\n",
     6},
    {"explain_statement_set",
     CLICKS PAGE_SINK
     "EXPLAIN EXECUTE STATEMENT SET BEGIN\n"
     "  INSERT INTO page_stats SELECT page, 1 FROM clicks;\n"
     "END;\n",
     3},
    {"execute_insert",
     CLICKS PAGE_SINK
     "EXECUTE INSERT INTO page_stats SELECT page, 0 FROM clicks;\n",
     3},

    /* ---- SET, RESET, SHOW, DESCRIBE, EXPLAIN, USE ---- */
    {"set_quoted",
     "SET 'execution.checkpointing.interval' = '30s';\n"
     "SET 'table.exec.state.ttl' = '1 h';\n"
     "SET 'pipeline.name' = 'nightly; rebuild';\n",
     3},
    {"set_legacy_unquoted",
     "SET execution.runtime-mode = streaming;\n"
     "SET parallelism.default=4;\n"
     "SET table.local-time-zone = 'Europe/Berlin';\n",
     3},
    {"set_list_and_reset",
     "SET;\n"
     "RESET 'table.exec.mini-batch.enabled';\n"
     "RESET;\n",
     3},
    {"show_statements",
     CLICKS
     "CREATE VIEW v_pages AS SELECT page FROM clicks;\n"
     "SHOW TABLES;\n"
     "SHOW VIEWS;\n"
     "SHOW FUNCTIONS;\n"
     "SHOW USER FUNCTIONS;\n"
     "SHOW JOBS;\n"
     "SHOW CATALOGS;\n"
     "SHOW DATABASES;\n"
     "SHOW CURRENT CATALOG;\n"
     "SHOW CURRENT DATABASE;\n"
     "SHOW TABLES LIKE 'cl%';\n",
     12},
    {"show_create_and_describe",
     CLICKS
     "CREATE VIEW v_refs AS SELECT referrer FROM clicks;\n"
     "SHOW CREATE TABLE clicks;\n"
     "SHOW CREATE VIEW v_refs;\n"
     "SHOW COLUMNS FROM clicks;\n"
     "DESCRIBE clicks;\n"
     "DESC v_refs;\n"
     "DESCRIBE EXTENDED clicks;\n",
     8},
    {"explain_forms",
     CLICKS PAGE_SINK
     "EXPLAIN PLAN FOR SELECT page FROM clicks WHERE duration_ms > 10;\n"
     "EXPLAIN CHANGELOG_MODE SELECT page, COUNT(*) FROM clicks GROUP BY page;\n"
     "EXPLAIN ESTIMATED_COST, CHANGELOG_MODE\n"
     "  INSERT INTO page_stats SELECT page, 1 FROM clicks;\n"
     "EXPLAIN SELECT 1;\n",
     6},
    {"use_database",
     "USE default_database;\n"
     "USE default_catalog.default_database;\n"
     "USE CATALOG default_catalog;\n",
     3},
    {"qualified_table_names",
     "CREATE TABLE default_catalog.default_database.qualified_t (a INT)\n"
     "WITH ('connector' = 'datagen');\n"
     "SELECT a FROM default_database.qualified_t;\n"
     "SELECT q.a FROM default_catalog.default_database.qualified_t AS q;\n",
     3},
    {"help",
     "HELP;\n",
     1},
    {"reference_job",
     "SET 'execution.checkpointing.interval' = '10min';\n"
     "SET 'execution.checkpointing.tolerable-failed-checkpoints' = '100';\n"
     "SET 'restart-strategy' = 'fixed-delay';\n"
     "SET 'table.exec.mini-batch.enabled' = 'true';\n"
     "SET 'table.exec.mini-batch.allow-latency' = '2s';\n"
     "SET 'table.exec.mini-batch.size' = '5000';\n"
     "SET 'table.optimizer.distinct-agg.split.enabled' = 'true';\n"
     "SET 'state.backend' = 'rocksdb';\n"
     "CREATE TABLE bill_info (\n"
     "  billCode STRING, serviceCode STRING, accountPeriod STRING,\n"
     "  subjectName STRING, subjectCode STRING, occurDate TIMESTAMP,\n"
     "  amt DECIMAL(11,2), status STRING,\n"
     "  proc_time AS PROCTIME()\n"
     ") WITH ('connector' = 'mysql-cdc', 'hostname' = 'mysql-a',\n"
     "        'port' = '3307', 'username' = 'cdc', 'password' = 'x',\n"
     "        'database-name' = 'cdc', 'table-name' = 'bill_info');\n"
     "CREATE TABLE order_info (\n"
     "  orderCode STRING, serviceCode STRING, accountPeriod STRING,\n"
     "  subjectName STRING, subjectCode STRING, occurDate TIMESTAMP,\n"
     "  amt DECIMAL(11,2), status STRING,\n"
     "  proc_time AS PROCTIME()\n"
     ") WITH ('connector' = 'mysql-cdc', 'hostname' = 'mysql-a',\n"
     "        'port' = '3307', 'username' = 'cdc', 'password' = 'x',\n"
     "        'database-name' = 'cdc', 'table-name' = 'order_info');\n"
     "CREATE TABLE subject_info (\n"
     "  code VARCHAR(32) NOT NULL, name VARCHAR(64) NOT NULL,\n"
     "  PRIMARY KEY (code) NOT ENFORCED\n"
     ") WITH ('connector' = 'jdbc',\n"
     "        'url' = 'jdbc:mysql://mysql-b:3307/spd?useSSL=false&autoReconnect=true',\n"
     "        'driver' = 'com.mysql.cj.jdbc.Driver', 'table-name' = 'subject',\n"
     "        'username' = 'spd', 'password' = 'x',\n"
     "        'lookup.cache.max-rows' = '3000', 'lookup.cache.ttl' = '10s',\n"
     "        'lookup.max-retries' = '3');\n"
     "CREATE TABLE income_distribution (\n"
     "  serviceCode STRING, accountPeriod STRING, subjectCode STRING,\n"
     "  subjectName STRING, amt DECIMAL(13,2),\n"
     "  PRIMARY KEY (serviceCode, accountPeriod, subjectCode) NOT ENFORCED\n"
     ") WITH ('connector' = 'elasticsearch-7', 'hosts' = 'http://es:9200',\n"
     "        'index' = 'income_distribution',\n"
     "        'sink.bulk-flush.backoff.strategy' = 'EXPONENTIAL');\n"
     "INSERT INTO income_distribution\n"
     "SELECT t1.serviceCode, t1.accountPeriod, t1.subjectCode, t1.subjectName,\n"
     "       SUM(amt) AS amt\n"
     "FROM (\n"
     "  SELECT b.serviceCode, b.accountPeriod, b.subjectCode,\n"
     "         s.name AS subjectName, SUM(amt) AS amt\n"
     "  FROM bill_info AS b\n"
     "  JOIN subject_info FOR SYSTEM_TIME AS OF b.proc_time s\n"
     "    ON b.subjectCode = s.code\n"
     "  GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name\n"
     "  UNION ALL\n"
     "  SELECT b.serviceCode, b.accountPeriod, b.subjectCode,\n"
     "         s.name AS subjectName, SUM(amt) AS amt\n"
     "  FROM order_info AS b\n"
     "  JOIN subject_info FOR SYSTEM_TIME AS OF b.proc_time s\n"
     "    ON b.subjectCode = s.code\n"
     "  GROUP BY b.serviceCode, b.accountPeriod, b.subjectCode, s.name\n"
     ") AS t1\n"
     "GROUP BY t1.serviceCode, t1.accountPeriod, t1.subjectCode, t1.subjectName;\n",
     13},

    /* ---- projections and predicates ---- */
    {"select_star", CLICKS "SELECT * FROM clicks;\n", 2},
    {"select_qualified_star",
     CLICKS "SELECT c.*, c.page AS again FROM clicks AS c;\n", 2},
    {"select_distinct",
     CLICKS "SELECT DISTINCT page, referrer FROM clicks;\n", 2},
    {"select_without_from",
     "SELECT 1 + 2 AS three, 'abc' AS s, TRUE AND NOT FALSE AS b;\n", 1},
    {"where_and_or_not",
     CLICKS
     "SELECT user_id FROM clicks\n"
     "WHERE (page = '/cart' OR page = '/checkout')\n"
     "  AND NOT (duration_ms < 100)\n"
     "  AND referrer <> 'bot';\n",
     2},
    {"where_is_null",
     CLICKS
     "SELECT page FROM clicks WHERE referrer IS NULL OR user_id IS NOT NULL;\n",
     2},
    {"where_is_true_false_distinct",
     CLICKS
     "SELECT page FROM clicks\n"
     "WHERE (duration_ms > 10) IS TRUE\n"
     "  AND (page = '/') IS NOT FALSE\n"
     "  AND referrer IS DISTINCT FROM page\n"
     "  AND user_id IS NOT DISTINCT FROM 42;\n",
     2},
    {"where_between",
     PAYMENTS
     "SELECT pay_id FROM payments\n"
     "WHERE amount BETWEEN 10 AND 99.99\n"
     "  AND cust_id NOT BETWEEN 1000 AND 1999\n"
     "  AND paid_at BETWEEN TIMESTAMP '2024-01-01 00:00:00'\n"
     "                  AND TIMESTAMP '2024-12-31 23:59:59.999';\n",
     2},
    {"where_between_symmetric",
     PAYMENTS
     "SELECT pay_id FROM payments WHERE amount BETWEEN SYMMETRIC 500 AND 5;\n",
     2},
    {"where_in_list",
     PAYMENTS
     "SELECT pay_id FROM payments\n"
     "WHERE currency IN ('EUR', 'USD', 'GBP')\n"
     "  AND status NOT IN ('FAILED', 'VOIDED')\n"
     "  AND cust_id IN (1, 2, 3);\n",
     2},
    {"where_in_subquery",
     PAYMENTS CUSTOMERS
     "SELECT pay_id, amount FROM payments\n"
     "WHERE cust_id IN (SELECT cust_id FROM customers WHERE tier = 'gold');\n",
     3},
    {"where_not_in_subquery",
     PAYMENTS CUSTOMERS
     "SELECT pay_id FROM payments\n"
     "WHERE cust_id NOT IN (SELECT cust_id FROM customers WHERE region = 'EU');\n",
     3},
    {"where_exists_correlated",
     PAYMENTS CUSTOMERS
     "SELECT c.cust_name FROM customers AS c\n"
     "WHERE EXISTS (SELECT 1 FROM payments AS p\n"
     "              WHERE p.cust_id = c.cust_id AND p.amount > 1000);\n",
     3},
    {"where_like",
     CLICKS
     "SELECT page FROM clicks\n"
     "WHERE page LIKE '/product/%'\n"
     "  AND referrer NOT LIKE '%google%'\n"
     "  AND page LIKE '/a!_b%' ESCAPE '!';\n",
     2},
    {"where_similar_to",
     CLICKS
     "SELECT page FROM clicks WHERE page SIMILAR TO '/(cart|checkout)%'\n"
     "  AND referrer NOT SIMILAR TO 'http://%';\n",
     2},
    {"scalar_subquery",
     PAYMENTS
     "SELECT pay_id, amount - (SELECT MIN(amount) FROM payments) AS above_min\n"
     "FROM payments;\n",
     2},

    /* ---- expressions and functions ---- */
    {"case_searched",
     PAYMENTS
     "SELECT pay_id,\n"
     "  CASE WHEN amount >= 1000 THEN 'large'\n"
     "       WHEN amount >= 100 THEN 'medium'\n"
     "       ELSE 'small' END AS size_class\n"
     "FROM payments;\n",
     2},
    {"case_simple",
     PAYMENTS
     "SELECT CASE currency WHEN 'EUR' THEN 1 WHEN 'USD' THEN 2 END AS cur_no,\n"
     "       CASE status WHEN 'OK' THEN TRUE ELSE FALSE END AS ok\n"
     "FROM payments;\n",
     2},
    {"case_nested_in_aggregate",
     PAYMENTS
     "SELECT cust_id,\n"
     "  SUM(CASE WHEN status = 'REFUND' THEN -amount ELSE amount END) AS net\n"
     "FROM payments GROUP BY cust_id;\n",
     2},
    {"cast_and_try_cast",
     CLICKS
     "SELECT CAST(user_id AS STRING) AS uid,\n"
     "       CAST(duration_ms AS DECIMAL(10, 1)) AS d,\n"
     "       TRY_CAST(referrer AS INT) AS ref_no,\n"
     "       CAST('2024-03-01' AS DATE) AS day_one,\n"
     "       CAST(click_ts AS TIMESTAMP(0)) AS ts0,\n"
     "       CAST(click_ts AS STRING) AS ts_text\n"
     "FROM clicks;\n",
     2},
    {"coalesce_if_nullif",
     CLICKS
     "SELECT COALESCE(referrer, 'direct') AS ref_or_direct,\n"
     "       IF(duration_ms > 5000, 'long', 'short') AS visit,\n"
     "       NULLIF(page, '') AS page_or_null,\n"
     "       IFNULL(duration_ms, 0) AS dur\n"
     "FROM clicks;\n",
     2},
    {"string_functions",
     CLICKS
     "SELECT CONCAT(page, '?ref=', referrer) AS url,\n"
     "       CONCAT_WS('/', 'users', CAST(user_id AS STRING), page) AS path,\n"
     "       page || '#top' AS anchor,\n"
     "       UPPER(page), LOWER(referrer),\n"
     "       CHAR_LENGTH(page) AS len,\n"
     "       REPLACE(page, '/', '_') AS flat,\n"
     "       REGEXP_EXTRACT(page, '/product/([0-9]+)', 1) AS product_id,\n"
     "       REGEXP_REPLACE(referrer, '^https?://', '') AS host,\n"
     "       INITCAP(referrer), LPAD(page, 20, '.'), REVERSE(page)\n"
     "FROM clicks;\n",
     2},
    {"substring_forms",
     CLICKS
     "SELECT SUBSTRING(page, 2) AS a,\n"
     "       SUBSTRING(page, 2, 5) AS b,\n"
     "       SUBSTRING(page FROM 2) AS c,\n"
     "       SUBSTRING(page FROM 2 FOR 5) AS d,\n"
     "       SUBSTR(referrer, 1, 3) AS e\n"
     "FROM clicks;\n",
     2},
    {"trim_forms",
     CLICKS
     "SELECT TRIM(page) AS a,\n"
     "       TRIM(BOTH '/' FROM page) AS b,\n"
     "       TRIM(LEADING ' ' FROM referrer) AS c,\n"
     "       TRIM(TRAILING FROM referrer) AS d,\n"
     "       LTRIM(page), RTRIM(page)\n"
     "FROM clicks;\n",
     2},
    {"position_and_overlay",
     CLICKS
     "SELECT POSITION('/' IN page) AS first_slash,\n"
     "       OVERLAY(page PLACING '***' FROM 2 FOR 3) AS masked,\n"
     "       LOCATE('x', page) AS loc\n"
     "FROM clicks;\n",
     2},
    {"date_time_functions",
     CLICKS
     "SELECT DATE_FORMAT(click_ts, 'yyyy-MM-dd HH:00') AS hour_key,\n"
     "       TO_TIMESTAMP('2024-06-01 08:00:00') AS t1,\n"
     "       TO_DATE('2024-06-01') AS d1,\n"
     "       EXTRACT(DAY FROM click_ts) AS dom,\n"
     "       EXTRACT(YEAR FROM click_ts) AS yr,\n"
     "       FLOOR(click_ts TO HOUR) AS hour_start,\n"
     "       CEIL(click_ts TO DAY) AS next_day,\n"
     "       TIMESTAMPDIFF(DAY, click_ts, LOCALTIMESTAMP) AS age_days,\n"
     "       TIMESTAMPADD(MINUTE, 15, click_ts) AS plus15\n"
     "FROM clicks;\n",
     2},
    {"epoch_functions",
     CLICKS
     "SELECT UNIX_TIMESTAMP() AS now_s,\n"
     "       UNIX_TIMESTAMP('2024-01-01 00:00:00') AS jan1,\n"
     "       FROM_UNIXTIME(1700000000) AS then_text,\n"
     "       FROM_UNIXTIME(1700000000, 'yyyy-MM-dd') AS then_day,\n"
     "       TO_TIMESTAMP_LTZ(1700000000000, 3) AS then_ltz\n"
     "FROM clicks;\n",
     2},
    {"current_time_functions",
     "SELECT CURRENT_TIMESTAMP AS a, LOCALTIMESTAMP AS b, NOW() AS c,\n"
     "       CURRENT_DATE AS d, CURRENT_TIME AS e, LOCALTIME AS f,\n"
     "       CURRENT_ROW_TIMESTAMP() AS g;\n",
     1},
    {"time_unit_functions",
     CLICKS
     "SELECT YEAR(click_ts), QUARTER(click_ts), MONTH(click_ts),\n"
     "       WEEK(click_ts), DAYOFMONTH(click_ts), DAYOFWEEK(click_ts),\n"
     "       HOUR(click_ts), MINUTE(click_ts), SECOND(click_ts)\n"
     "FROM clicks;\n",
     2},
    {"numeric_functions",
     PAYMENTS
     "SELECT ABS(amount) AS a, MOD(pay_id, 16) AS shard,\n"
     "       ROUND(amount, 1) AS r, CEIL(amount) AS c, FLOOR(amount) AS f,\n"
     "       POWER(2, 10) AS p, SQRT(16.0) AS s, LN(2.0), LOG10(100),\n"
     "       SIGN(-3), TRUNCATE(amount, 0), RAND(), PI()\n"
     "FROM payments;\n",
     2},
    {"arithmetic_precedence",
     PAYMENTS
     "SELECT amount * 100 / 3 - 1 + pay_id % 7 AS x,\n"
     "       -amount AS neg, +amount AS pos, -(-(amount)) AS twice\n"
     "FROM payments;\n",
     2},
    {"greatest_least_hash",
     PAYMENTS
     "SELECT GREATEST(amount, 0), LEAST(pay_id, 100), MD5(order_no),\n"
     "       SHA256(order_no), TO_BASE64(order_no), UUID()\n"
     "FROM payments;\n",
     2},
    {"collection_constructors",
     CLICKS
     "SELECT ARRAY[page, referrer] AS pair,\n"
     "       MAP['page', page, 'ref', referrer] AS m,\n"
     "       ROW(user_id, page) AS r,\n"
     "       ARRAY[1, 2, 3][2] AS second_item,\n"
     "       CARDINALITY(ARRAY[1, 2]) AS n\n"
     "FROM clicks;\n",
     2},
    {"nested_field_access",
     "CREATE TABLE devices (\n"
     "  dev_id STRING,\n"
     "  info ROW<vendor STRING, fw ROW<major INT, minor INT>>,\n"
     "  labels MAP<STRING, STRING>,\n"
     "  temps ARRAY<DOUBLE>\n"
     ") WITH ('connector' = 'datagen');\n"
     "SELECT dev_id, info.vendor, d.info.fw.major, labels['site'],\n"
     "       temps[1]\n"
     "FROM devices AS d;\n",
     2},
    {"json_functions",
     CLICKS
     "SELECT JSON_VALUE(referrer, '$.campaign') AS campaign,\n"
     "       JSON_EXISTS(referrer, '$.utm') AS has_utm,\n"
     "       JSON_QUERY(referrer, '$.tags') AS tags\n"
     "FROM clicks;\n",
     2},

    /* ---- literals ---- */
    {"literals_typed",
     "SELECT DATE '2024-02-29' AS d,\n"
     "       TIME '23:59:59' AS t,\n"
     "       TIMESTAMP '2024-02-29 12:00:00.123' AS ts,\n"
     "       X'0A1B' AS bin,\n"
     "       x'ff' AS bin_lower,\n"
     "       NULL AS nothing;\n",
     1},
    {"literals_numeric",
     "SELECT -5 AS neg, 3.25 AS dec_lit, .5 AS half, 1.5e3 AS dbl,\n"
     "       2E-4 AS small, -7.0E+2 AS neg_dbl, 9223372036854775807 AS big,\n"
     "       12345678901234567890123 AS huge_decimal;\n",
     1},
    {"literals_interval",
     CLICKS
     "SELECT click_ts + INTERVAL '10' MINUTE AS a,\n"
     "       click_ts - INTERVAL '2' HOURS AS b,\n"
     "       click_ts + INTERVAL '1 10:00:00' DAY TO SECOND AS c,\n"
     "       click_ts + INTERVAL '3' DAYS AS d,\n"
     "       click_ts - INTERVAL '1-6' YEAR TO MONTH AS e,\n"
     "       click_ts + INTERVAL '90' SECONDS AS f,\n"
     "       click_ts + INTERVAL '5:30' HOUR TO MINUTE AS g,\n"
     "       click_ts + INTERVAL '250' SECOND(3) AS h\n"
     "FROM clicks;\n",
     2},
    {"literals_strings",
     "SELECT 'it''s' AS quoted, '' AS blank, 'semi;colon' AS semi,\n"
     "       '-- not a comment' AS dashes, '/* nor this */' AS slash,\n"
     "       'multi\nline' AS ml, 'ünïcødé ✓' AS utf8;\n",
     1},

    /* ---- aggregation ---- */
    {"group_by_aggregates",
     PAYMENTS
     "SELECT currency, COUNT(*) AS n, COUNT(DISTINCT cust_id) AS buyers,\n"
     "       SUM(amount) AS total, AVG(amount) AS mean,\n"
     "       MIN(paid_at) AS first_paid, MAX(amount) AS biggest\n"
     "FROM payments\n"
     "GROUP BY currency;\n",
     2},
    {"group_by_having",
     PAYMENTS
     "SELECT cust_id, SUM(amount) AS spent FROM payments\n"
     "GROUP BY cust_id\n"
     "HAVING SUM(amount) > 10000 AND COUNT(*) >= 3;\n",
     2},
    {"global_aggregate_without_group_by",
     PAYMENTS "SELECT COUNT(*), SUM(amount), MAX(paid_at) FROM payments;\n", 2},
    {"group_by_expression",
     CLICKS
     "SELECT DATE_FORMAT(click_ts, 'yyyy-MM-dd') AS day_key, COUNT(*) AS n\n"
     "FROM clicks\n"
     "GROUP BY DATE_FORMAT(click_ts, 'yyyy-MM-dd');\n",
     2},
    {"aggregate_filter_and_more",
     PAYMENTS
     "SELECT currency,\n"
     "       COUNT(*) FILTER (WHERE status = 'OK') AS ok_count,\n"
     "       STDDEV_POP(amount), VAR_SAMP(amount),\n"
     "       LISTAGG(order_no, ','), FIRST_VALUE(order_no), LAST_VALUE(status)\n"
     "FROM payments GROUP BY currency;\n",
     2},
    {"grouping_sets",
     PAYMENTS
     "SELECT currency, status, SUM(amount) AS total\n"
     "FROM payments\n"
     "GROUP BY GROUPING SETS ((currency), (status), ());\n",
     2},
    {"rollup_and_cube",
     PAYMENTS
     "SELECT currency, status, COUNT(*) FROM payments\n"
     "GROUP BY ROLLUP (currency, status);\n"
     "SELECT currency, status, COUNT(*), GROUPING(currency) FROM payments\n"
     "GROUP BY CUBE (currency, status);\n",
     3},

    /* ---- group windows (legacy syntax) ---- */
    {"group_window_tumble",
     CLICKS PAGE_SINK
     "INSERT INTO page_stats\n"
     "SELECT page, COUNT(*) FROM clicks\n"
     "GROUP BY TUMBLE(click_ts, INTERVAL '1' MINUTE), page;\n",
     3},
    {"group_window_tumble_start_end",
     CLICKS
     "SELECT TUMBLE_START(click_ts, INTERVAL '1' HOUR) AS w_start,\n"
     "       TUMBLE_END(click_ts, INTERVAL '1' HOUR) AS w_end,\n"
     "       TUMBLE_ROWTIME(click_ts, INTERVAL '1' HOUR) AS w_time,\n"
     "       page, COUNT(DISTINCT user_id) AS visitors\n"
     "FROM clicks\n"
     "GROUP BY TUMBLE(click_ts, INTERVAL '1' HOUR), page;\n",
     2},
    {"group_window_hop",
     PAYMENTS
     "SELECT HOP_START(paid_at, INTERVAL '5' MINUTE, INTERVAL '1' HOUR) AS s,\n"
     "       HOP_END(paid_at, INTERVAL '5' MINUTE, INTERVAL '1' HOUR) AS e,\n"
     "       SUM(amount) AS total\n"
     "FROM payments\n"
     "GROUP BY HOP(paid_at, INTERVAL '5' MINUTE, INTERVAL '1' HOUR);\n",
     2},
    {"group_window_session",
     CLICKS
     "SELECT user_id,\n"
     "       SESSION_START(click_ts, INTERVAL '30' MINUTE) AS s,\n"
     "       SESSION_END(click_ts, INTERVAL '30' MINUTE) AS e,\n"
     "       COUNT(*) AS clicks_in_session\n"
     "FROM clicks\n"
     "GROUP BY user_id, SESSION(click_ts, INTERVAL '30' MINUTE);\n",
     2},
    {"group_window_proctime",
     CLICKS
     "SELECT TUMBLE_START(proc_time, INTERVAL '10' SECOND), COUNT(*)\n"
     "FROM clicks\n"
     "GROUP BY TUMBLE(proc_time, INTERVAL '10' SECOND);\n",
     2},

    /* ---- window table functions ---- */
    {"tvf_tumble",
     CLICKS
     "SELECT window_start, window_end, page, COUNT(*) AS views\n"
     "FROM TABLE(\n"
     "  TUMBLE(TABLE clicks, DESCRIPTOR(click_ts), INTERVAL '10' MINUTES))\n"
     "GROUP BY window_start, window_end, page;\n",
     2},
    {"tvf_hop",
     PAYMENTS
     "SELECT window_start, window_end, SUM(amount) AS total\n"
     "FROM TABLE(HOP(TABLE payments, DESCRIPTOR(paid_at),\n"
     "               INTERVAL '5' MINUTES, INTERVAL '1' HOUR))\n"
     "GROUP BY window_start, window_end;\n",
     2},
    {"tvf_cumulate",
     PAYMENTS
     "SELECT window_start, window_end, currency, SUM(amount) AS running_total\n"
     "FROM TABLE(CUMULATE(TABLE payments, DESCRIPTOR(paid_at),\n"
     "                    INTERVAL '1' HOUR, INTERVAL '1' DAY))\n"
     "GROUP BY window_start, window_end, currency;\n",
     2},
    {"tvf_session",
     CLICKS
     "SELECT window_start, window_end, user_id, COUNT(*) AS n\n"
     "FROM TABLE(SESSION(TABLE clicks, DESCRIPTOR(click_ts),\n"
     "                   INTERVAL '15' MINUTES))\n"
     "GROUP BY window_start, window_end, user_id;\n",
     2},
    {"tvf_window_columns_selected",
     CLICKS
     "SELECT page, window_start, window_end, window_time\n"
     "FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(click_ts), INTERVAL '1' DAY));\n",
     2},
    {"tvf_window_top_n",
     CLICKS
     "SELECT * FROM (\n"
     "  SELECT *, ROW_NUMBER() OVER (\n"
     "      PARTITION BY window_start, window_end ORDER BY views DESC) AS rn\n"
     "  FROM (\n"
     "    SELECT window_start, window_end, page, COUNT(*) AS views\n"
     "    FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(click_ts),\n"
     "                      INTERVAL '1' HOUR))\n"
     "    GROUP BY window_start, window_end, page\n"
     "  )\n"
     ") WHERE rn <= 5;\n",
     2},

    /* ---- Top-N, dedup, OVER ---- */
    {"top_n",
     PAYMENTS
     "SELECT cust_id, amount, rownum FROM (\n"
     "  SELECT cust_id, amount,\n"
     "         ROW_NUMBER() OVER (PARTITION BY currency ORDER BY amount DESC)\n"
     "           AS rownum\n"
     "  FROM payments\n"
     ") WHERE rownum <= 3;\n",
     2},
    {"deduplicate_keep_first",
     CLICKS
     "SELECT user_id, page, click_ts FROM (\n"
     "  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id, page\n"
     "                               ORDER BY proc_time ASC) AS rn\n"
     "  FROM clicks\n"
     ") t\n"
     "WHERE rn = 1;\n",
     2},
    {"deduplicate_keep_last_rowtime",
     CLICKS
     "SELECT user_id, page FROM (\n"
     "  SELECT user_id, page,\n"
     "         ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY click_ts DESC) AS rn\n"
     "  FROM clicks)\n"
     "WHERE rn = 1;\n",
     2},
    {"rank_functions",
     PAYMENTS
     "SELECT pay_id, r FROM (\n"
     "  SELECT pay_id,\n"
     "         RANK() OVER (PARTITION BY cust_id ORDER BY amount DESC) AS r\n"
     "  FROM payments)\n"
     "WHERE r <= 2;\n"
     "SELECT pay_id FROM (\n"
     "  SELECT pay_id,\n"
     "         DENSE_RANK() OVER (PARTITION BY cust_id ORDER BY amount) AS dr\n"
     "  FROM payments)\n"
     "WHERE dr = 1;\n",
     3},
    {"over_rows_between",
     PAYMENTS
     "SELECT pay_id, amount,\n"
     "  SUM(amount) OVER (PARTITION BY cust_id ORDER BY paid_at\n"
     "    ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS last6_total\n"
     "FROM payments;\n",
     2},
    {"over_range_interval",
     PAYMENTS
     "SELECT pay_id,\n"
     "  COUNT(*) OVER (PARTITION BY cust_id ORDER BY paid_at\n"
     "    RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW) AS n_1h,\n"
     "  AVG(amount) OVER (PARTITION BY cust_id ORDER BY paid_at\n"
     "    RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_avg\n"
     "FROM payments;\n",
     2},
    {"over_named_window",
     PAYMENTS
     "SELECT pay_id, SUM(amount) OVER w AS s, MAX(amount) OVER w AS m\n"
     "FROM payments\n"
     "WINDOW w AS (PARTITION BY currency ORDER BY proc_time\n"
     "             ROWS BETWEEN 10 PRECEDING AND CURRENT ROW);\n",
     2},
    {"lag_lead",
     PAYMENTS
     "SELECT pay_id,\n"
     "  LAG(amount) OVER (PARTITION BY cust_id ORDER BY paid_at) AS prev_amt,\n"
     "  LEAD(amount, 1, 0) OVER (PARTITION BY cust_id ORDER BY paid_at) AS nxt\n"
     "FROM payments;\n",
     2},

    /* ---- joins ---- */
    {"inner_join",
     PAYMENTS CUSTOMERS
     "SELECT p.pay_id, c.cust_name FROM payments p\n"
     "INNER JOIN customers c ON p.cust_id = c.cust_id;\n",
     3},
    {"left_right_full_joins",
     PAYMENTS CUSTOMERS
     "SELECT p.pay_id, c.tier FROM payments AS p\n"
     "LEFT JOIN customers AS c ON p.cust_id = c.cust_id;\n"
     "SELECT p.pay_id, c.tier FROM payments AS p\n"
     "RIGHT OUTER JOIN customers AS c ON p.cust_id = c.cust_id;\n"
     "SELECT p.pay_id, c.tier FROM payments AS p\n"
     "FULL OUTER JOIN customers AS c ON p.cust_id = c.cust_id AND c.tier = 'vip';\n",
     5},
    {"cross_join",
     "CREATE TABLE colors (color STRING) WITH ('connector' = 'datagen');\n"
     "CREATE TABLE sizes (size_label STRING) WITH ('connector' = 'datagen');\n"
     "SELECT color, size_label FROM colors CROSS JOIN sizes;\n",
     3},
    {"join_using",
     PAYMENTS CUSTOMERS
     "SELECT cust_id, cust_name, amount FROM payments\n"
     "JOIN customers USING (cust_id);\n",
     3},
    {"comma_join",
     PAYMENTS CUSTOMERS
     "SELECT p.order_no, c.region FROM payments p, customers c\n"
     "WHERE p.cust_id = c.cust_id;\n",
     3},
    {"three_way_join",
     PAYMENTS CUSTOMERS DELIVERIES
     "SELECT p.order_no, c.cust_name, d.courier\n"
     "FROM payments p\n"
     "JOIN customers c ON p.cust_id = c.cust_id\n"
     "LEFT JOIN deliveries d ON d.order_no = p.order_no;\n",
     4},
    {"lookup_join_alias",
     PAYMENTS CUSTOMERS
     "SELECT p.pay_id, p.amount, c.cust_name, c.tier\n"
     "FROM payments AS p\n"
     "JOIN customers FOR SYSTEM_TIME AS OF p.proc_time AS c\n"
     "  ON p.cust_id = c.cust_id;\n",
     3},
    {"lookup_join_without_alias",
     PAYMENTS CUSTOMERS
     "SELECT pay_id, customers.cust_name\n"
     "FROM payments\n"
     "JOIN customers FOR SYSTEM_TIME AS OF payments.proc_time\n"
     "  ON payments.cust_id = customers.cust_id;\n",
     3},
    {"lookup_join_left",
     PAYMENTS CUSTOMERS
     "SELECT p.pay_id, COALESCE(c.region, 'unknown') AS region\n"
     "FROM payments p\n"
     "LEFT JOIN customers FOR SYSTEM_TIME AS OF p.proc_time c\n"
     "  ON p.cust_id = c.cust_id AND c.tier <> 'blocked';\n",
     3},
    {"lookup_join_with_hint",
     PAYMENTS CUSTOMERS
     "SELECT /*+ LOOKUP('table'='c', 'retry-predicate'='lookup_miss',\n"
     "                  'retry-strategy'='fixed_delay', 'fixed-delay'='1s',\n"
     "                  'max-attempts'='3') */\n"
     "       p.pay_id, c.cust_name\n"
     "FROM payments p\n"
     "JOIN customers FOR SYSTEM_TIME AS OF p.proc_time c\n"
     "  ON p.cust_id = c.cust_id;\n",
     3},
    {"temporal_join_event_time",
     PAYMENTS RATES
     "SELECT p.pay_id, p.amount * r.eur_rate AS amount_eur\n"
     "FROM payments AS p\n"
     "JOIN fx_rates FOR SYSTEM_TIME AS OF p.paid_at AS r\n"
     "  ON p.currency = r.currency;\n",
     3},
    {"interval_join",
     PAYMENTS DELIVERIES
     "SELECT p.order_no, p.paid_at, d.delivered_at\n"
     "FROM payments p, deliveries d\n"
     "WHERE p.order_no = d.order_no\n"
     "  AND d.delivered_at BETWEEN p.paid_at - INTERVAL '1' HOUR\n"
     "                         AND p.paid_at + INTERVAL '3' DAY;\n",
     3},
    {"interval_join_on",
     PAYMENTS DELIVERIES
     "SELECT p.order_no, d.courier\n"
     "FROM payments p JOIN deliveries d\n"
     "  ON p.order_no = d.order_no\n"
     " AND p.paid_at BETWEEN d.delivered_at - INTERVAL '4' HOUR AND d.delivered_at;\n",
     3},
    {"join_with_table_hints",
     PAYMENTS CUSTOMERS
     "SELECT /*+ BROADCAST(c) */ p.pay_id, c.tier\n"
     "FROM payments /*+ OPTIONS('scan.startup.mode' = 'latest-offset') */ AS p\n"
     "JOIN customers /*+ OPTIONS('lookup.cache.ttl' = '5min') */ c\n"
     "  ON p.cust_id = c.cust_id;\n",
     3},
    {"state_ttl_query_hint",
     PAYMENTS CUSTOMERS
     "SELECT /*+ STATE_TTL('p' = '1d', 'c' = '12h') */ p.pay_id, c.tier\n"
     "FROM payments p JOIN customers c ON p.cust_id = c.cust_id;\n",
     3},

    /* ---- set operations ---- */
    {"union_all_three",
     CLICKS
     "SELECT page FROM clicks WHERE duration_ms < 10\n"
     "UNION ALL\n"
     "SELECT referrer FROM clicks WHERE referrer IS NOT NULL\n"
     "UNION ALL\n"
     "SELECT 'synthetic';\n",
     2},
    {"union_distinct",
     PAYMENTS CUSTOMERS
     "SELECT cust_id FROM payments UNION SELECT cust_id FROM customers;\n",
     3},
    {"intersect_except",
     PAYMENTS CUSTOMERS
     "SELECT cust_id FROM payments INTERSECT SELECT cust_id FROM customers;\n"
     "SELECT cust_id FROM customers EXCEPT SELECT cust_id FROM payments;\n"
     "SELECT cust_id FROM customers INTERSECT ALL SELECT cust_id FROM payments;\n",
     5},
    {"union_type_widening",
     "SELECT 1 AS v UNION ALL SELECT 2.5 UNION ALL SELECT CAST(3 AS BIGINT);\n",
     1},
    {"parenthesized_set_operands",
     CLICKS
     "(SELECT page FROM clicks) UNION ALL (SELECT referrer FROM clicks)\n"
     "ORDER BY 1 LIMIT 10;\n",
     2},

    /* ---- WITH, derived tables, VALUES ---- */
    {"with_ctes",
     PAYMENTS CUSTOMERS
     "WITH big AS (\n"
     "  SELECT cust_id, SUM(amount) AS total FROM payments GROUP BY cust_id\n"
     "), named (id, label) AS (\n"
     "  SELECT cust_id, cust_name FROM customers\n"
     ")\n"
     "SELECT n.label, b.total FROM big b JOIN named n ON b.cust_id = n.id\n"
     "WHERE b.total > 100;\n",
     3},
    {"insert_with_cte",
     CLICKS PAGE_SINK
     "INSERT INTO page_stats\n"
     "WITH per_page AS (SELECT page, COUNT(*) AS c FROM clicks GROUP BY page)\n"
     "SELECT page, c FROM per_page;\n",
     3},
    {"derived_table_with_alias",
     CLICKS
     "SELECT agg.page, agg.n FROM (\n"
     "  SELECT page, COUNT(*) AS n FROM clicks GROUP BY page\n"
     ") AS agg WHERE agg.n > 10;\n",
     2},
    {"derived_table_without_alias",
     CLICKS
     "SELECT page, n FROM (SELECT page, COUNT(*) AS n FROM clicks GROUP BY page)\n"
     "WHERE n > 10;\n",
     2},
    {"derived_table_column_aliases",
     CLICKS
     "SELECT x.p, x.u FROM (SELECT page, user_id FROM clicks) AS x (p, u);\n",
     2},
    {"values_with_column_aliases",
     "SELECT code, label FROM (VALUES (1, 'one'), (2, 'two'), (3, 'three'))\n"
     "  AS numbers (code, label)\n"
     "WHERE code > 1;\n",
     1},
    {"values_standalone",
     "VALUES (1, 'a'), (2, 'b');\n"
     "VALUES ROW(1.5, TRUE);\n",
     2},
    {"values_join_table",
     CLICKS
     "SELECT c.page, v.weight FROM clicks c\n"
     "JOIN (VALUES ('/', 1), ('/cart', 5)) AS v (path, weight)\n"
     "  ON c.page = v.path;\n",
     2},
    {"order_by_limit",
     PAYMENTS
     "SELECT pay_id, amount FROM payments\n"
     "ORDER BY amount DESC, pay_id ASC NULLS LAST\n"
     "LIMIT 20;\n"
     "SELECT pay_id FROM payments ORDER BY 1 LIMIT 5 OFFSET 10;\n"
     "SELECT pay_id FROM payments ORDER BY paid_at FETCH FIRST 3 ROWS ONLY;\n",
     4},
    {"order_by_rowtime",
     CLICKS "SELECT page, click_ts FROM clicks ORDER BY click_ts;\n", 2},

    /* ---- names, case, comments ---- */
    {"backquoted_reserved_words",
     "CREATE TABLE `audit` (\n"
     "  `user` STRING,\n"
     "  `timestamp` TIMESTAMP(3),\n"
     "  `value` DOUBLE,\n"
     "  `from` STRING,\n"
     "  `select` INT,\n"
     "  `order` BIGINT,\n"
     "  `my col` STRING,\n"
     "  WATERMARK FOR `timestamp` AS `timestamp` - INTERVAL '1' SECOND\n"
     ") WITH ('connector' = 'datagen');\n"
     "SELECT `user`, `value` * 2 AS `double`, `my col`, `from`, `select`\n"
     "FROM `audit` AS `table`\n"
     "WHERE `order` > 0 AND `table`.`user` <> '';\n",
     2},
    {"backquote_escaped",
     "CREATE TABLE odd_names (`we``ird` INT) WITH ('connector' = 'datagen');\n"
     "SELECT `we``ird` FROM odd_names;\n",
     2},
    {"nonreserved_keywords_as_names",
     "CREATE TABLE kw_names (\n"
     "  name STRING, key STRING, `watermark` STRING, metadata STRING,\n"
     "  comment_text STRING, status STRING, `data` STRING, `language` STRING,\n"
     "  description STRING, type STRING, version INT, zone STRING\n"
     ") WITH ('connector' = 'datagen');\n"
     "SELECT name, key, watermark, metadata, type, version, zone FROM kw_names;\n",
     2},
    {"mixed_case_keywords",
     CLICKS
     "select page, count(*) As views\n"
     "From clicks c\n"
     "Where c.duration_ms > 0 And referrer Is Not Null\n"
     "group BY page\n"
     "Having Count(*) > 1 oRdEr By views dEsC LiMiT 3;\n",
     2},
    {"lowercase_ddl",
     "create temporary table if not exists lower_t (\n"
     "  id bigint not null,\n"
     "  ts timestamp(3),\n"
     "  watermark for ts as ts - interval '1' second,\n"
     "  primary key (id) not enforced\n"
     ") with ('connector' = 'datagen');\n"
     "insert into lower_t select id, ts from lower_t;\n",
     2},
    {"comments_everywhere",
     "-- leading comment; with a semicolon\n"
     "/* block comment; also with one */\n"
     "CREATE TABLE /* inline */ notes ( -- column list\n"
     "  id INT, /* the key */\n"
     "  body STRING -- free text; any\n"
     ") WITH ( /* options */\n"
     "  'connector' = 'datagen' -- generated\n"
     "); -- trailing\n"
     "SELECT /* a */ id, -- b\n"
     "  body /* c; */ FROM notes -- d\n"
     "/* e */ WHERE id > 0 -- f;\n"
     ";\n"
     "/* final\n"
     "   multi-line comment */\n"
     "-- last line without newline",
     2},
    {"semicolon_inside_strings",
     "CREATE TABLE split_t (a STRING) WITH (\n"
     "  'connector' = 'filesystem', 'path' = '/x;y', 'format' = 'csv',\n"
     "  'csv.field-delimiter' = ';'\n"
     ");\n"
     "SELECT a FROM split_t WHERE a = ';' OR a LIKE '%;%';\n",
     2},
    {"empty_statements_skipped",
     ";;\n"
     "SELECT 1;;\n"
     " ; -- nothing\n"
     "SELECT 2;\n",
     2},
    {"missing_final_semicolon",
     CLICKS "SELECT page FROM clicks", 2},
    {"windows_line_endings",
     "CREATE TABLE crlf_t (\r\n"
     "  a INT,\r\n"
     "  b STRING\r\n"
     ") WITH ('connector' = 'datagen');\r\n"
     "SELECT a, b\r\n"
     "FROM crlf_t;\r\n",
     2},
    {"tabs_and_blank_lines",
     "\n\n\tSELECT\t1\n\n\t,\t2\t;\n\n",
     1},
    {"parenthesized_query_statement",
     CLICKS "((SELECT page FROM clicks));\n", 2},
    {"view_on_view",
     CLICKS
     "CREATE VIEW v1 AS SELECT user_id, page FROM clicks;\n"
     "CREATE VIEW v2 (uid, cnt) AS SELECT user_id, COUNT(*) FROM v1 GROUP BY user_id;\n"
     "SELECT uid FROM v2 WHERE cnt > 5;\n",
     4},
    /* sluice resolves names case-insensitively when there is no exact match
     * (bind.h); Flink itself is case-sensitive. */
    {"case_insensitive_name_fallback",
     CLICKS "SELECT PAGE FROM Clicks;\n", 2},
    /* Rows for forms that once failed: grouped column lists, EXPLAIN of a
     * statement set, named TVF arguments, SESSION with PARTITION BY, the
     * SQL client's RESET, a column called watermark. */
    {"group_by_parenthesized_column_sets",
     "CREATE TABLE sales (region STRING, shop STRING, amount INT) "
     "WITH ('connector' = 'datagen');\n"
     "SELECT region, shop, SUM(amount) FROM sales\n"
     "GROUP BY GROUPING SETS ((region, shop), (region), ());\n"
     "SELECT region, shop, SUM(amount) FROM sales GROUP BY ROLLUP ((region, shop));\n"
     "SELECT region, shop, SUM(amount) FROM sales GROUP BY (region, shop);\n",
     4},
    {"explain_statement_set",
     "CREATE TABLE sink_a (v INT) WITH ('connector' = 'blackhole');\n"
     "EXPLAIN STATEMENT SET BEGIN INSERT INTO sink_a SELECT 1; END;\n"
     "EXPLAIN CHANGELOG_MODE STATEMENT SET BEGIN INSERT INTO sink_a SELECT 2; END;\n",
     3},
    {"tvf_named_arguments",
     "CREATE TABLE clicks (page STRING, ts TIMESTAMP(3), "
     "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'datagen');\n"
     "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(DATA => TABLE clicks, "
     "TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;\n"
     "SELECT window_end, COUNT(*) FROM TABLE(HOP(DATA => TABLE clicks, "
     "TIMECOL => DESCRIPTOR(ts), SLIDE => INTERVAL '1' MINUTE, SIZE => INTERVAL '5' MINUTE, "
     "OFFSET => INTERVAL '10' SECOND)) GROUP BY window_start, window_end;\n",
     3},
    {"session_tvf_partition_by",
     "CREATE TABLE clicks (page STRING, usr STRING, ts TIMESTAMP(3), "
     "WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');\n"
     "SELECT usr, window_start, COUNT(*) FROM TABLE(SESSION(TABLE clicks PARTITION BY usr, "
     "DESCRIPTOR(ts), INTERVAL '5' MINUTE)) GROUP BY usr, window_start, window_end;\n"
     "SELECT usr, page, COUNT(*) FROM TABLE(SESSION(TABLE clicks PARTITION BY (usr, page), "
     "DESCRIPTOR(ts), INTERVAL '5' MINUTE)) GROUP BY usr, page, window_start, window_end;\n",
     3},
    {"legacy_reset",
     "SET table.exec.state.ttl = 1h;\nRESET table.exec.state.ttl;\nRESET 'pipeline.name';\nRESET;\n",
     4},
    {"column_named_watermark",
     "CREATE TABLE marks (watermark STRING, ts TIMESTAMP(3), "
     "WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');\n"
     "SELECT watermark FROM marks;\n",
     2},
};

START_TEST(test_accepts)
{
    const ok_case_t *c = &ok_cases[_i];
    sl_script_t sc;
    run_script(&sc, c->sql, false);
    ck_assert_msg(sc.nerrors == 0 && sc.diags.n == 0,
                  "%s: expected no diagnostics, got %d:%s", c->name,
                  sc.diags.n, diag_text(&sc));
    ck_assert_msg(sc.stmts.n == c->nstmts, "%s: %d statements parsed, want %d",
                  c->name, sc.stmts.n, c->nstmts);
    sl_script_destroy(&sc);
}
END_TEST


/* ---- scripts that must be rejected ---------------------------------------- */

typedef struct bad_case {
    const char *name;
    const char *sql;
    int line, col;             /* of the first error, 1-based, in characters */
    const char *frag;          /* part of its message */
} bad_case_t;

static const bad_case_t bad_cases[] = {
    {"missing_comma_between_columns",
     "CREATE TABLE readings (\n"
     "  sensor STRING\n"
     "  reading DOUBLE\n"
     ") WITH ('connector' = 'datagen');\n",
     3, 3, "syntax error at 'reading', expected ',' or ')'"},
    {"trailing_comma_in_columns",
     "CREATE TABLE readings (\n"
     "  sensor STRING,\n"
     "  reading DOUBLE,\n"
     ") WITH ('connector' = 'datagen');\n",
     4, 1, "syntax error at ')', expected a name, PRIMARY or CONSTRAINT"},
    {"trailing_comma_in_options",
     "CREATE TABLE readings (sensor STRING) WITH (\n"
     "  'connector' = 'datagen',\n"
     "  'rows-per-second' = '5',\n"
     ");\n",
     4, 1, "syntax error at ')', expected a string"},
    {"trailing_comma_in_select",
     "SELECT 1 AS a, 2 AS b,\n"
     "FROM (VALUES (1)) AS v (x);\n",
     2, 1, "syntax error at 'FROM', expected an expression"},
    {"unquoted_option_key",
     "CREATE TABLE readings (sensor STRING) WITH (\n"
     "  'connector' = 'kafka',\n"
     "  topic = 'readings'\n"
     ");\n",
     3, 3, "option keys must be single-quoted strings: write 'topic'"},
    {"double_quoted_option_value",
     "CREATE TABLE readings (sensor STRING) WITH (\n"
     "  'connector' = \"datagen\"\n"
     ");\n",
     2, 17, "double quotes do not make a string in Flink SQL"},
    {"double_quoted_string_in_where",
     "SELECT x FROM (VALUES ('a')) AS v (x) WHERE x = \"a\";\n",
     1, 49, "write 'a' for a string or `a` for a name"},
    {"reserved_word_as_column_user",
     "CREATE TABLE logins (\n"
     "  user STRING,\n"
     "  ok BOOLEAN\n"
     ") WITH ('connector' = 'datagen');\n",
     2, 3, "user is a reserved word; write `user` to use it as a name"},
    {"reserved_word_as_column_timestamp",
     "CREATE TABLE ticks (\n"
     "  id INT,\n"
     "  timestamp TIMESTAMP(3)\n"
     ") WITH ('connector' = 'datagen');\n",
     3, 3, "timestamp is a reserved word"},
    {"reserved_word_in_select_list",
     "CREATE TABLE kv (k STRING, `value` STRING) WITH ('connector' = "
     "'datagen');\n"
     "SELECT k, value FROM kv;\n",
     2, 11, "value is a reserved word; write `value`"},
    {"watermark_without_as",
     "CREATE TABLE ticks (\n"
     "  id INT,\n"
     "  ts TIMESTAMP(3),\n"
     "  WATERMARK FOR ts ts - INTERVAL '1' SECOND\n"
     ") WITH ('connector' = 'datagen');\n",
     4, 20, "syntax error at 'ts', expected AS"},
    {"cast_without_as",
     "SELECT CAST('12' INT);\n",
     1, 18, "syntax error at 'INT'"},
    {"create_view_without_as",
     "CREATE VIEW answers SELECT 42 AS answer;\n",
     1, 21, "syntax error at 'SELECT', expected AS"},
    {"case_without_end",
     "SELECT CASE WHEN 1 > 0 THEN 'yes' ELSE 'no' AS verdict;\n",
     1, 45, "syntax error at 'AS', expected END"},
    {"unbalanced_open_paren",
     "SELECT (1 + 2 * 3 AS n;\n",
     1, 19, "syntax error at 'AS'"},
    {"unbalanced_close_paren",
     "SELECT 1 + 2) * 3 AS n;\n",
     1, 13, "syntax error at ')'"},
    {"group_without_by",
     "CREATE TABLE t (a INT, b INT) WITH ('connector' = 'datagen');\n"
     "SELECT a, SUM(b) FROM t GROUP a;\n",
     2, 31, "syntax error at 'a', expected BY"},
    {"insert_without_into",
     "CREATE TABLE t (a INT) WITH ('connector' = 'blackhole');\n"
     "INSERT t SELECT 1;\n",
     2, 8, "syntax error at 't', expected INTO"},
    {"unterminated_string",
     "SELECT 'never closed AS s;\n"
     "SELECT 2;\n",
     1, 8, "unterminated string literal"},
    {"unterminated_block_comment",
     "SELECT 1;\n"
     "SELECT 2 /* forgot to close\n"
     "FROM nowhere;\n",
     2, 10, "unterminated comment: '/*' is never closed"},
    {"unterminated_quoted_identifier",
     "SELECT `broken FROM t;\n",
     1, 8, "unterminated quoted identifier"},
    {"illegal_character",
     "SELECT 1 # 2;\n",
     1, 10, "illegal character '#'"},
    {"missing_semicolon_between_statements",
     "CREATE TABLE t (a INT) WITH ('connector' = 'datagen')\n"
     "SELECT a FROM t;\n",
     2, 1, "syntax error at 'SELECT'"},
    {"empty_statement_set",
     "EXECUTE STATEMENT SET\n"
     "BEGIN\n"
     "END;\n",
     3, 1, "syntax error at 'END', expected INSERT"},
    {"decimal_precision_too_large",
     "CREATE TABLE money (amt DECIMAL(40, 2)) WITH ('connector' = "
     "'datagen');\n",
     1, 33, "DECIMAL precision must be at most 38"},
    {"decimal_scale_above_precision",
     "CREATE TABLE money (amt DECIMAL(5, 6)) WITH ('connector' = "
     "'datagen');\n",
     1, 36, "DECIMAL scale 6 is larger than its precision 5"},
    {"timestamp_precision_too_large",
     "CREATE TABLE ev (ts TIMESTAMP(10)) WITH ('connector' = 'datagen');\n",
     1, 31, "precision must be at most 9"},
    {"varchar_length_zero",
     "CREATE TABLE ev (s VARCHAR(0)) WITH ('connector' = 'datagen');\n",
     1, 28, "length must be between 1 and 2147483647"},
    {"interval_without_unit",
     "SELECT CURRENT_TIMESTAMP - INTERVAL '5';\n",
     1, 40, "unexpected end of statement"},
    {"interval_bad_unit",
     "SELECT CURRENT_TIMESTAMP - INTERVAL '5' FORTNIGHT;\n",
     1, 41, "'FORTNIGHT' is not a time unit"},
    {"primary_key_without_not_enforced",
     "CREATE TABLE acct (\n"
     "  id BIGINT,\n"
     "  PRIMARY KEY (id)\n"
     ") WITH ('connector' = 'datagen');\n",
     3, 3, "Flink doesn't support ENFORCED mode for PRIMARY KEY"},
    {"primary_key_enforced",
     "CREATE TABLE acct (\n"
     "  id BIGINT,\n"
     "  PRIMARY KEY (id) ENFORCED\n"
     ") WITH ('connector' = 'datagen');\n",
     3, 3, "Flink doesn't support ENFORCED mode for PRIMARY KEY"},
    {"inline_primary_key_without_not_enforced",
     "CREATE TABLE acct (\n"
     "  id BIGINT PRIMARY KEY,\n"
     "  name STRING\n"
     ") WITH ('connector' = 'datagen');\n",
     2, 13, "Flink doesn't support ENFORCED mode for PRIMARY KEY"},
    {"two_watermarks",
     "CREATE TABLE ev (\n"
     "  a TIMESTAMP(3),\n"
     "  b TIMESTAMP(3),\n"
     "  WATERMARK FOR a AS a,\n"
     "  WATERMARK FOR b AS b\n"
     ") WITH ('connector' = 'datagen');\n",
     5, 3, "Multiple WATERMARK statements is not supported yet"},
    {"two_primary_keys",
     "CREATE TABLE acct (\n"
     "  id BIGINT,\n"
     "  code STRING,\n"
     "  PRIMARY KEY (id) NOT ENFORCED,\n"
     "  PRIMARY KEY (code) NOT ENFORCED\n"
     ") WITH ('connector' = 'datagen');\n",
     5, 3, "a table can have only one PRIMARY KEY"},
    {"inline_and_table_primary_key",
     "CREATE TABLE acct (\n"
     "  id BIGINT PRIMARY KEY NOT ENFORCED,\n"
     "  code STRING,\n"
     "  PRIMARY KEY (code) NOT ENFORCED\n"
     ") WITH ('connector' = 'datagen');\n",
     4, 3, "a table can have only one PRIMARY KEY"},
    {"duplicate_option_key",
     "CREATE TABLE ev (a INT) WITH (\n"
     "  'connector' = 'datagen',\n"
     "  'rows-per-second' = '1',\n"
     "  'rows-per-second' = '2'\n"
     ");\n",
     4, 3, "option 'rows-per-second' is given twice"},
    {"unknown_like_option",
     "CREATE TABLE base_t (a INT) WITH ('connector' = 'datagen');\n"
     "CREATE TABLE copy_t WITH ('connector' = 'blackhole') LIKE base_t "
     "(EXCLUDING INDEXES);\n",
     2, 77, "unknown LIKE option 'INDEXES'"},
    {"set_numeric_value",
     "SET 'parallelism.default' = 8;\n",
     1, 29, "syntax error at '8', expected a string"},
    {"create_function_unsupported",
     "CREATE FUNCTION parse_ua AS 'com.example.ParseUserAgent';\n",
     1, 8, "user-defined functions are not supported"},
    {"match_recognize_unsupported",
     "CREATE TABLE ticks (sym STRING, price DOUBLE, ts TIMESTAMP(3), "
     "WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen');\n"
     "SELECT * FROM ticks MATCH_RECOGNIZE (PARTITION BY sym ORDER BY ts "
     "MEASURES A.price AS p PATTERN (A) DEFINE A AS price > 10);\n",
     2, 21, "MATCH_RECOGNIZE is not supported"},
    {"alter_table_unsupported",
     "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n"
     "ALTER TABLE t ADD b STRING;\n",
     2, 1, "ALTER statements are not supported"},
    {"delete_unsupported",
     "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n"
     "DELETE FROM t WHERE a = 1;\n",
     2, 1, "DELETE statements are not supported"},
    {"create_catalog_unsupported",
     "CREATE CATALOG lake WITH ('type' = 'iceberg');\n",
     1, 1, "CREATE CATALOG is not supported"},
    {"hint_in_wrong_place",
     "SELECT 1 /*+ OPTIONS('a' = 'b') */ AS one_col;\n",
     1, 10, "may only follow SELECT, a table name, or INSERT INTO table"},
    {"legacy_set_missing_value",
     "SET parallelism.default =;\n",
     1, 26, "the value of 'parallelism.default' is missing"},
    {"from_without_table",
     "SELECT 1 FROM WHERE 1 = 1;\n",
     1, 15, "syntax error at 'WHERE'"},
    {"join_without_condition",
     "CREATE TABLE a (x INT) WITH ('connector' = 'datagen');\n"
     "CREATE TABLE b (y INT) WITH ('connector' = 'datagen');\n"
     "SELECT * FROM a JOIN b;\n",
     3, 23, "unexpected end of statement, expected ON or USING"},
    {"unknown_explain_detail",
     "EXPLAIN FANCY_MODE SELECT 1;\n",
     1, 9, "unknown EXPLAIN detail 'FANCY_MODE'"},
    {"row_type_duplicate_field",
     "CREATE TABLE t (r ROW<a INT, a STRING>) WITH ('connector' = "
     "'datagen');\n",
     1, 19, "ROW field 'a' is declared twice"},
    {"unknown_table",
     "SELECT * FROM nowhere_at_all;\n",
     1, 15, "table 'nowhere_at_all' not found: create it with CREATE TABLE"},
    {"unknown_table_did_you_mean",
     "CREATE TABLE customer_orders (id INT) WITH ('connector' = "
     "'datagen');\n"
     "SELECT id FROM customer_order;\n",
     2, 16, "did you mean 'customer_orders'?"},
    {"unknown_column",
     "CREATE TABLE t (alpha INT, beta STRING) WITH ('connector' = "
     "'datagen');\n"
     "SELECT gamma FROM t;\n",
     2, 8, "column 'gamma' not found in any table"},
    {"unknown_column_did_you_mean",
     "CREATE TABLE t (amount INT, beta STRING) WITH ('connector' = "
     "'datagen');\n"
     "SELECT amout FROM t;\n",
     2, 8, "did you mean 'amount'?"},
    {"unknown_qualified_column",
     "CREATE TABLE t (alpha INT, beta STRING) WITH ('connector' = "
     "'datagen');\n"
     "SELECT x.gamma FROM t AS x;\n",
     2, 8, "column 'gamma' not found in 'x'"},
    {"ambiguous_column",
     "CREATE TABLE l (id INT, name STRING) WITH ('connector' = "
     "'datagen');\n"
     "CREATE TABLE r (id INT, score INT) WITH ('connector' = 'datagen');\n"
     "SELECT id, name, score FROM l JOIN r ON l.id = r.id;\n",
     3, 8, "column reference 'id' is ambiguous"},
    {"unknown_qualifier",
     "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n"
     "SELECT q.a FROM t AS x;\n",
     2, 8, "table or alias 'q' not found in this query"},
    {"unknown_function",
     "SELECT frobnicate(1);\n",
     1, 8, "no function named 'frobnicate'"},
    {"unknown_function_did_you_mean",
     "SELECT UPPPER('abc');\n",
     1, 8, "no function named 'UPPPER'; did you mean UPPER?"},
    {"wrong_argument_count",
     "SELECT SUBSTRING('abcdef', 1, 2, 3);\n",
     1, 8, "SUBSTRING does not take 4 arguments"},
    {"wrong_argument_count_too_few",
     "SELECT REPLACE('abc', 'a');\n",
     1, 8, "REPLACE takes 3 arguments but 2 were given"},
    {"wrong_argument_type",
     "SELECT UPPER(42);\n",
     1, 14, "function UPPER expects (STRING) but got (INT)"},
    {"where_not_boolean",
     "CREATE TABLE t (a INT, s STRING) WITH ('connector' = 'datagen');\n"
     "SELECT a FROM t WHERE s;\n",
     2, 23, "WHERE must be a BOOLEAN condition, not STRING"},
    {"compare_incompatible_types",
     "CREATE TABLE t (a INT, d DATE) WITH ('connector' = 'datagen');\n"
     "SELECT a FROM t WHERE d = TRUE;\n",
     2, 23, "cannot compare DATE with BOOLEAN NOT NULL"},
    {"non_grouped_column",
     "CREATE TABLE t (a INT, b STRING, c INT) WITH ('connector' = "
     "'datagen');\n"
     "SELECT a, b, SUM(c) FROM t GROUP BY a;\n",
     2, 11, "expression 'b' in the select list is not being grouped"},
    {"aggregate_in_where",
     "CREATE TABLE t (a INT, c INT) WITH ('connector' = 'datagen');\n"
     "SELECT a FROM t WHERE SUM(c) > 10 GROUP BY a;\n",
     2, 23, "aggregate function SUM is not allowed in WHERE"},
    {"nested_aggregate",
     "CREATE TABLE t (a INT, c INT) WITH ('connector' = 'datagen');\n"
     "SELECT a, MAX(SUM(c)) FROM t GROUP BY a;\n",
     2, 15, "aggregate function SUM cannot be nested"},
    {"row_number_without_over",
     "CREATE TABLE t (a INT, c INT) WITH ('connector' = 'datagen');\n"
     "SELECT a, ROW_NUMBER() AS rn FROM t;\n",
     2, 11, "ROW_NUMBER must be followed by OVER"},
    {"insert_column_count_mismatch",
     "CREATE TABLE src (a INT, b STRING, c DOUBLE) WITH ('connector' = "
     "'datagen');\n"
     "CREATE TABLE dst (a INT, b STRING) WITH ('connector' = "
     "'blackhole');\n"
     "INSERT INTO dst SELECT a, b, c FROM src;\n",
     3, 17, "the query returns 3 columns but the table takes 2"},
    {"insert_string_into_decimal",
     "CREATE TABLE src (a INT, label STRING) WITH ('connector' = "
     "'datagen');\n"
     "CREATE TABLE dst (a INT, amount DECIMAL(10, 2)) WITH ('connector' "
     "= 'blackhole');\n"
     "INSERT INTO dst SELECT a, label FROM src;\n",
     3, 27,
     "'label' of the query is STRING, which cannot be written to column "
     "'amount' DECIMAL(10, 2)"},
    {"insert_into_view",
     "CREATE TABLE src (a INT) WITH ('connector' = 'datagen');\n"
     "CREATE VIEW v AS SELECT a FROM src;\n"
     "INSERT INTO v SELECT 1;\n",
     3, 13, "cannot INSERT INTO view 'v': views are read-only"},
    {"insert_into_computed_column",
     "CREATE TABLE dst (a INT, doubled AS a * 2) WITH ('connector' = "
     "'blackhole');\n"
     "INSERT INTO dst (a, doubled) VALUES (1, 2);\n",
     2, 21, "column 'doubled' of 'dst' is computed and cannot be written"},
    {"systime_on_non_time_attribute",
     "CREATE TABLE orders (id INT, cust INT, created TIMESTAMP(3)) WITH "
     "('connector' = 'datagen');\n"
     "CREATE TABLE custs (cid INT, name STRING, PRIMARY KEY (cid) NOT "
     "ENFORCED) WITH ('connector' = 'jdbc', 'url' = "
     "'jdbc:mysql://h/db', 'table-name' = 'c');\n"
     "SELECT o.id, c.name FROM orders o JOIN custs FOR SYSTEM_TIME AS "
     "OF o.created AS c ON o.cust = c.cid;\n",
     3, 68, "FOR SYSTEM_TIME AS OF needs a time attribute"},
    {"temporal_join_without_on",
     "CREATE TABLE orders (id INT, cust INT, pt AS PROCTIME()) WITH "
     "('connector' = 'datagen');\n"
     "CREATE TABLE custs (cid INT, name STRING, PRIMARY KEY (cid) NOT "
     "ENFORCED) WITH ('connector' = 'jdbc', 'url' = "
     "'jdbc:mysql://h/db', 'table-name' = 'c');\n"
     "SELECT o.id, c.name FROM orders o JOIN custs FOR SYSTEM_TIME AS "
     "OF o.pt AS c;\n",
     3, 77, "unexpected end of statement, expected ON or USING"},
    {"watermark_on_string_column",
     "CREATE TABLE ev (\n"
     "  ts STRING,\n"
     "  WATERMARK FOR ts AS ts\n"
     ") WITH ('connector' = 'datagen');\n",
     3, 17,
     "must be TIMESTAMP(p) or TIMESTAMP_LTZ(p) with p <= 3, but it is STRING"},
    {"watermark_on_timestamp6",
     "CREATE TABLE ev (\n"
     "  ts TIMESTAMP(6),\n"
     "  WATERMARK FOR ts AS ts\n"
     ") WITH ('connector' = 'datagen');\n",
     3, 17, "but it is TIMESTAMP(6)"},
    {"watermark_on_missing_column",
     "CREATE TABLE ev (\n"
     "  ts TIMESTAMP(3),\n"
     "  WATERMARK FOR event_time AS event_time\n"
     ") WITH ('connector' = 'datagen');\n",
     3, 17, "WATERMARK FOR 'event_time': no such column"},
    {"primary_key_missing_column",
     "CREATE TABLE acct (\n"
     "  id BIGINT,\n"
     "  PRIMARY KEY (acct_id) NOT ENFORCED\n"
     ") WITH ('connector' = 'datagen');\n",
     3, 16, "PRIMARY KEY column 'acct_id' is not a column of 'acct'"},
    {"primary_key_computed_column",
     "CREATE TABLE acct (\n"
     "  id BIGINT,\n"
     "  id2 AS id * 2,\n"
     "  PRIMARY KEY (id2) NOT ENFORCED\n"
     ") WITH ('connector' = 'datagen');\n",
     4, 16, "a PRIMARY KEY must be declared on physical columns"},
    {"duplicate_column",
     "CREATE TABLE acct (\n"
     "  id BIGINT,\n"
     "  name STRING,\n"
     "  id INT\n"
     ") WITH ('connector' = 'datagen');\n",
     4, 3, "column 'id' is defined twice"},
    {"table_already_exists",
     "CREATE TABLE acct (id BIGINT) WITH ('connector' = 'datagen');\n"
     "CREATE TABLE acct (id BIGINT) WITH ('connector' = 'datagen');\n",
     2, 14, "table 'acct' already exists"},
    {"drop_missing_table",
     "DROP TABLE ghost_table;\n",
     1, 12, "table 'ghost_table' does not exist"},
    {"drop_table_of_a_view",
     "CREATE VIEW v AS SELECT 1 AS one_col;\n"
     "DROP TABLE v;\n",
     2, 12, "'v' is a view: use DROP VIEW"},
    {"union_different_column_counts",
     "SELECT 1, 2 UNION ALL SELECT 3;\n",
     1, 13, "different column counts: 2 on the left, 1 on the right"},
    {"union_incompatible_types",
     "SELECT 1 AS a UNION ALL SELECT DATE '2024-01-01';\n",
     1, 15, "has type INT NOT NULL on the left and DATE NOT NULL on the right"},
    {"descriptor_on_non_time_column",
     "CREATE TABLE ev (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) "
     "WITH ('connector' = 'datagen');\n"
     "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE ev, "
     "DESCRIPTOR(id), INTERVAL '1' MINUTE)) GROUP BY window_start, "
     "window_end;\n",
     2, 70, "column 'id' is not a time attribute"},
    {"descriptor_on_plain_timestamp",
     "CREATE TABLE ev (id INT, ts TIMESTAMP(3)) WITH ('connector' = "
     "'datagen');\n"
     "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE ev, "
     "DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, "
     "window_end;\n",
     2, 70, "column 'ts' is not a time attribute"},
    {"group_window_on_non_time_attribute",
     "CREATE TABLE ev (id INT, ts TIMESTAMP(3)) WITH ('connector' = "
     "'datagen');\n"
     "SELECT COUNT(*) FROM ev GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE);\n",
     2, 41, "the first argument of TUMBLE must be a time attribute"},
    {"tumble_start_without_group_window",
     "CREATE TABLE ev (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) "
     "WITH ('connector' = 'datagen');\n"
     "SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE), COUNT(*) FROM ev "
     "GROUP BY id;\n",
     2, 8, "TUMBLE_START(...) must have the same arguments as a group window"},
    {"unknown_catalog",
     "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n"
     "SELECT a FROM hive_catalog.default_database.t;\n",
     2, 15, "catalog 'hive_catalog' does not exist"},
    {"unknown_database",
     "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n"
     "SELECT a FROM sales_db.t;\n",
     2, 15, "database 'sales_db' does not exist"},
    {"select_star_without_from",
     "SELECT *;\n",
     1, 8, "SELECT * needs a FROM clause"},
    {"negative_limit",
     "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n"
     "SELECT a FROM t LIMIT -5;\n",
     2, 23, "LIMIT must not be negative"},
    {"order_by_position_out_of_range",
     "CREATE TABLE t (a INT, b INT) WITH ('connector' = 'datagen');\n"
     "SELECT a, b FROM t ORDER BY 3;\n",
     2, 29, "ORDER BY position 3 is not in the select list (1..2)"},
    {"statement_set_with_select",
     "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n"
     "EXECUTE STATEMENT SET BEGIN\n"
     "  SELECT a FROM t;\n"
     "END;\n",
     3, 3, "syntax error at 'SELECT', expected INSERT"},
    {"end_without_begin",
     "SELECT 1;\n"
     "END;\n",
     2, 1, "END without BEGIN STATEMENT SET"},
    {"begin_statement_set_never_closed",
     "CREATE TABLE t (a INT) WITH ('connector' = 'blackhole');\n"
     "BEGIN STATEMENT SET;\n"
     "INSERT INTO t VALUES (1);\n",
     2, 1, "BEGIN STATEMENT SET is never closed by END"},
    {"cte_defined_twice",
     "WITH a AS (SELECT 1 AS x), a AS (SELECT 2 AS x) SELECT x FROM a;\n",
     1, 28, "WITH name 'a' is defined twice"},
    {"view_column_list_mismatch",
     "CREATE VIEW v (a, b) AS SELECT 1 AS x;\n",
     1, 13, "names 2 columns but the query returns 1"},
    {"insert_column_listed_twice",
     "CREATE TABLE dst (a INT, b INT) WITH ('connector' = 'blackhole');\n"
     "INSERT INTO dst (a, a) VALUES (1, 2);\n",
     2, 21, "column 'a' is listed twice"},
    {"insert_unknown_column",
     "CREATE TABLE dst (a INT, b INT) WITH ('connector' = 'blackhole');\n"
     "INSERT INTO dst (a, c) VALUES (1, 2);\n",
     2, 21, "table 'dst' has no column 'c'"},
    {"over_in_where",
     "CREATE TABLE ev (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) "
     "WITH ('connector' = 'datagen');\n"
     "SELECT id FROM ev WHERE ROW_NUMBER() OVER (ORDER BY ts) = 1;\n",
     2, 43, "OVER windows are not allowed in WHERE"},
    {"cast_boolean_to_date",
     "SELECT CAST(TRUE AS DATE);\n",
     1, 8, "cannot CAST BOOLEAN NOT NULL to DATE"},
    {"subtract_timestamps",
     "CREATE TABLE ev (a TIMESTAMP(3), b TIMESTAMP(3)) WITH "
     "('connector' = 'datagen');\n"
     "SELECT a - b FROM ev;\n",
     2, 8, "cannot subtract TIMESTAMP(3) from TIMESTAMP(3)"},
    {"invalid_date_literal",
     "SELECT DATE '2024-13-45';\n",
     1, 8, "invalid DATE literal '2024-13-45'"},
    {"numeric_literal_out_of_range",
     "SELECT 123456789012345678901234567890123456789012;\n",
     1, 8, "is out of range: at most 38 digits"},
    {"tumble_tvf_outside_from",
     "CREATE TABLE ev (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) "
     "WITH ('connector' = 'datagen');\n"
     "SELECT TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE);\n",
     2, 8, "in FROM use TABLE(TUMBLE("},
    {"undefined_named_window",
     "CREATE TABLE ev (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) "
     "WITH ('connector' = 'datagen');\n"
     "SELECT COUNT(*) OVER w2 FROM ev WINDOW w AS (ORDER BY ts);\n",
     2, 22, "window 'w2' is not defined"},
    {"like_of_a_view",
     "CREATE VIEW v AS SELECT 1 AS one_col;\n"
     "CREATE TABLE t WITH ('connector' = 'blackhole') LIKE v;\n",
     2, 54, "CREATE TABLE ... LIKE needs a table, 'v' is a view"},
    {"partitioned_by_missing_column",
     "CREATE TABLE files (a INT) PARTITIONED BY (dt) WITH ('connector' "
     "= 'filesystem', 'path' = '/x', 'format' = 'csv');\n",
     1, 44, "PARTITIONED BY column 'dt' is not a column of 'files'"},
    {"in_list_incompatible",
     "CREATE TABLE t (d DATE) WITH ('connector' = 'datagen');\n"
     "SELECT d FROM t WHERE d IN (1, 2);\n",
     2, 29, "cannot be compared with DATE"},
    {"case_incompatible_branches",
     "SELECT CASE WHEN TRUE THEN 1 ELSE DATE '2024-01-01' END;\n",
     1, 35, "CASE branches have incompatible types"},
    {"sum_of_string",
     "CREATE TABLE t (s STRING) WITH ('connector' = 'datagen');\n"
     "SELECT SUM(s) FROM t;\n",
     2, 12, "SUM does not accept an argument of type STRING"},
    {"like_on_number",
     "CREATE TABLE t (n INT) WITH ('connector' = 'datagen');\n"
     "SELECT n FROM t WHERE n LIKE 'a%';\n",
     2, 23, "LIKE needs strings, but this operand is INT"},
    {"not_on_number",
     "SELECT NOT 5;\n",
     1, 12, "the operand of NOT must be a BOOLEAN condition, not INT"},
    {"view_already_exists",
     "CREATE VIEW v AS SELECT 1 AS one_col;\n"
     "CREATE VIEW v AS SELECT 2 AS one_col;\n",
     2, 13, "view 'v' already exists"},
    {"watermark_expression_wrong_type",
     "CREATE TABLE ev (\n"
     "  ts TIMESTAMP(3),\n"
     "  WATERMARK FOR ts AS 'late'\n"
     ") WITH ('connector' = 'datagen');\n",
     3, 23, "the WATERMARK expression must return TIMESTAMP"},
    {"select_from_dropped_table",
     "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n"
     "DROP TABLE t;\n"
     "SELECT a FROM t;\n",
     3, 15, "table 't' not found"},
    {"using_column_missing",
     "CREATE TABLE l (id INT) WITH ('connector' = 'datagen');\n"
     "CREATE TABLE r (rid INT) WITH ('connector' = 'datagen');\n"
     "SELECT * FROM l JOIN r USING (id);\n",
     3, 31, "USING column 'id' is not in the right side of the join"},
    {"insert_into_missing_table",
     "INSERT INTO nowhere SELECT 1;\n",
     1, 13, "table 'nowhere' not found"},
    {"values_row_width_mismatch",
     "SELECT * FROM (VALUES (1, 'a'), (2)) AS v (n, s);\n",
     1, 33, "VALUES rows must have the same number of columns"},
    {"array_index_not_integer",
     "SELECT ARRAY[1, 2]['x'];\n",
     1, 20, "an ARRAY index must be an integer"},
    {"nullif_incompatible",
     "SELECT NULLIF(1, DATE '2024-01-01');\n",
     1, 18, "NULLIF expects comparable arguments"},
    {"extract_unknown_unit",
     "SELECT EXTRACT(FORTNIGHT FROM LOCALTIMESTAMP);\n",
     1, 16, "'FORTNIGHT' is not a time unit"},
    {"floor_unknown_unit",
     "SELECT FLOOR(LOCALTIMESTAMP TO FORTNIGHT);\n",
     1, 32, "'FORTNIGHT' is not a time unit"},
    {"timestampdiff_unknown_unit",
     "SELECT TIMESTAMPDIFF(FORTNIGHT, LOCALTIMESTAMP, LOCALTIMESTAMP);\n",
     1, 22, "first argument of TIMESTAMPDIFF must be a time unit"},
    {"option_key_with_dashes_unquoted",
     "CREATE TABLE g (x INT) WITH ('connector' = 'datagen', rows-per-second = '5');\n",
     1, 55, "write 'rows-per-second'"},
    {"option_value_unquoted",
     "CREATE TABLE g (x INT) WITH ('connector' = datagen);\n",
     1, 44, "option values must be single-quoted strings"},
    {"group_window_in_select_list",
     "CREATE TABLE ev (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) "
     "WITH ('connector' = 'datagen');\n"
     "SELECT TUMBLE(ts, INTERVAL '1' MINUTE) FROM ev;\n",
     2, 8, "may only appear in GROUP BY"},
    {"double_literal_out_of_range",
     "SELECT 1e999;\n",
     1, 8, "out of range for DOUBLE"},
    {"tvf_unknown_named_argument",
     "CREATE TABLE ev (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) "
     "WITH ('connector' = 'datagen');\n"
     "SELECT * FROM TABLE(TUMBLE(DATA => TABLE ev, TIMECOL => DESCRIPTOR(ts), "
     "WIDTH => INTERVAL '1' MINUTE));\n",
     2, 73, "TUMBLE has no parameter named 'WIDTH'"},
    {"partition_by_on_tumble",
     "CREATE TABLE ev (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) "
     "WITH ('connector' = 'datagen');\n"
     "SELECT * FROM TABLE(TUMBLE(TABLE ev PARTITION BY id, DESCRIPTOR(ts), "
     "INTERVAL '1' MINUTE));\n",
     2, 28, "only SESSION takes TABLE t PARTITION BY"},
    {"legacy_reset_two_words",
     "RESET a b;\n",
     1, 9, "invalid RESET statement"},
};

START_TEST(test_rejects)
{
    const bad_case_t *c = &bad_cases[_i];
    sl_script_t sc;
    run_script(&sc, c->sql, false);
    const sl_diag_t *d = first_error(&sc);
    ck_assert_msg(d != NULL, "%s: expected an error, got none", c->name);
    ck_assert_msg(sc.nerrors >= 1, "%s: nerrors %d", c->name, sc.nerrors);
    for (int i = 0; i < sc.diags.n; i++) {
        const sl_diag_t *e = SL_LIST_AT(sc.diags, i, const sl_diag_t *);
        ck_assert_msg(e->off >= 0 && e->off <= sc.srclen,
                      "%s: diagnostic '%s' has offset %d (source %d bytes)",
                      c->name, e->msg, e->off, sc.srclen);
        ck_assert_msg(e->msg && e->msg[0], "%s: empty message", c->name);
    }
    int line, col;
    sl_script_linecol(&sc, d->off, &line, &col);
    ck_assert_msg(line == c->line && col == c->col && strstr(d->msg, c->frag),
                  "%s: want %d:%d containing \"%s\", got %d:%d: %s\n  all:%s",
                  c->name, c->line, c->col, c->frag, line, col, d->msg,
                  diag_text(&sc));
    sl_script_destroy(&sc);
}
END_TEST

/* ---- direct tests: statement splitting ------------------------------------ */

/* The text of statement i, as the parser recorded its span. */
static void stmt_text(const sl_script_t *sc, int i, char *buf, size_t size)
{
    const sl_stmt_t *st = SL_LIST_AT(sc->stmts, i, const sl_stmt_t *);
    ck_assert_int_ge(st->off, 0);
    ck_assert_int_le(st->off + st->len, sc->srclen);
    size_t n = (size_t)st->len < size - 1 ? (size_t)st->len : size - 1;
    memcpy(buf, sc->src + st->off, n);
    buf[n] = '\0';
}

START_TEST(test_split_strings_and_comments)
{
    /* ';' inside strings, quoted names and comments does not end a
     * statement; the span of a statement excludes its ';'. */
    static const char sql[] =
        "SELECT 'a;b' AS `x;y`; -- c;d\n"
        "/* e; f */ SELECT ';' AS s /* g; */;\n"
        "SELECT 'it''s;' AS t;";
    sl_script_t sc;
    run_script(&sc, sql, false);
    ck_assert_msg(sc.nerrors == 0, "%s", diag_text(&sc));
    ck_assert_int_eq(sc.nstatements, 3);
    ck_assert_int_eq(sc.stmts.n, 3);
    char buf[128];
    stmt_text(&sc, 0, buf, sizeof buf);
    ck_assert_str_eq(buf, "SELECT 'a;b' AS `x;y`");
    stmt_text(&sc, 1, buf, sizeof buf);
    ck_assert_str_eq(buf, "SELECT ';' AS s");
    stmt_text(&sc, 2, buf, sizeof buf);
    ck_assert_str_eq(buf, "SELECT 'it''s;' AS t");
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(SL_LIST_AT(sc.stmts, i, sl_stmt_t *)->kind, SL_S_QUERY);
    sl_script_destroy(&sc);
}
END_TEST

START_TEST(test_split_statement_set_block)
{
    /* The ';' after each INSERT inside EXECUTE STATEMENT SET BEGIN ... END
     * belongs to the block; a CASE ... END inside it does not close it. */
    static const char sql[] =
        "CREATE TABLE src (a INT) WITH ('connector' = 'datagen');\n"
        "CREATE TABLE dst (a INT, b STRING) WITH ('connector' = 'print');\n"
        "EXECUTE STATEMENT SET\n"
        "BEGIN\n"
        "  INSERT INTO dst SELECT a, CASE WHEN a > 0 THEN 'p;' END FROM src;\n"
        "  INSERT INTO dst SELECT a, 'second' FROM src;\n"
        "END;\n"
        "SELECT a FROM src;\n";
    sl_script_t sc;
    run_script(&sc, sql, false);
    ck_assert_msg(sc.nerrors == 0, "%s", diag_text(&sc));
    ck_assert_int_eq(sc.nstatements, 4);
    ck_assert_int_eq(sc.stmts.n, 4);
    const sl_stmt_t *set = SL_LIST_AT(sc.stmts, 2, const sl_stmt_t *);
    ck_assert_int_eq(set->kind, SL_S_STATEMENT_SET);
    ck_assert_int_eq(set->stmts.n, 2);
    for (int i = 0; i < 2; i++) {
        const sl_stmt_t *ins = SL_LIST_AT(set->stmts, i, const sl_stmt_t *);
        ck_assert_int_eq(ins->kind, SL_S_INSERT);
    }
    char buf[256];
    stmt_text(&sc, 2, buf, sizeof buf);
    ck_assert_msg(strncmp(buf, "EXECUTE STATEMENT SET", 21) == 0, "%s", buf);
    ck_assert_msg(strcmp(buf + strlen(buf) - 3, "END") == 0, "%s", buf);
    ck_assert_int_eq(SL_LIST_AT(sc.stmts, 3, sl_stmt_t *)->kind, SL_S_QUERY);
    sl_script_destroy(&sc);
}
END_TEST

START_TEST(test_split_begin_end_statements)
{
    /* The SQL-client form: BEGIN STATEMENT SET; and END; are statements of
     * their own, with the INSERTs between them. */
    static const char sql[] =
        "CREATE TABLE dst (a INT) WITH ('connector' = 'blackhole');\n"
        "BEGIN STATEMENT SET;\n"
        "INSERT INTO dst VALUES (1);\n"
        "INSERT INTO dst VALUES (2);\n"
        "END;\n";
    static const int kinds[] = {SL_S_CREATE_TABLE, SL_S_BEGIN_SET, SL_S_INSERT,
                                SL_S_INSERT, SL_S_END_SET};
    sl_script_t sc;
    run_script(&sc, sql, false);
    ck_assert_msg(sc.nerrors == 0, "%s", diag_text(&sc));
    ck_assert_int_eq(sc.stmts.n, 5);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(SL_LIST_AT(sc.stmts, i, sl_stmt_t *)->kind, kinds[i]);
    sl_script_destroy(&sc);
}
END_TEST

START_TEST(test_split_missing_final_semicolon)
{
    /* The last statement needs no ';'; trailing blanks and comments are not
     * part of it. */
    static const char sql[] = "SELECT 1;\nSELECT 2 AS two  -- the end\n\n";
    sl_script_t sc;
    run_script(&sc, sql, false);
    ck_assert_msg(sc.nerrors == 0, "%s", diag_text(&sc));
    ck_assert_int_eq(sc.nstatements, 2);
    ck_assert_int_eq(sc.stmts.n, 2);
    char buf[64];
    stmt_text(&sc, 1, buf, sizeof buf);
    ck_assert_str_eq(buf, "SELECT 2 AS two");
    sl_script_destroy(&sc);

    /* Only blanks and comments: no statement at all. */
    run_script(&sc, "  -- nothing here;\n/* ; */ ;; \n", false);
    ck_assert_int_eq(sc.nstatements, 0);
    ck_assert_int_eq(sc.stmts.n, 0);
    ck_assert_int_eq(sc.diags.n, 0);
    sl_script_destroy(&sc);
}
END_TEST

START_TEST(test_split_crlf)
{
    /* CRLF line endings: statements split as usual, and positions count
     * lines by LF with the CR not shifting columns of the next line. */
    static const char sql[] =
        "CREATE TABLE crlf_src (a INT) WITH ('connector' = 'datagen');\r\n"
        "SELECT a\r\n"
        "FROM crlf_src\r\n"
        "WHERE nope = 1;\r\n"
        "SELECT a FROM crlf_src;\r\n";
    sl_script_t sc;
    run_script(&sc, sql, false);
    ck_assert_int_eq(sc.nstatements, 3);
    ck_assert_int_eq(sc.stmts.n, 3);
    ck_assert_int_eq(sc.nerrors, 1);
    const sl_diag_t *d = first_error(&sc);
    ck_assert_ptr_nonnull(d);
    int line, col;
    sl_script_linecol(&sc, d->off, &line, &col);
    ck_assert_int_eq(line, 4);
    ck_assert_int_eq(col, 7);
    ck_assert_msg(strstr(d->msg, "column 'nope' not found"), "%s", d->msg);
    sl_script_destroy(&sc);
}
END_TEST

START_TEST(test_legacy_set_fields)
{
    /* SET key = value (unquoted) and SET 'key' = 'value' give the same key
     * and value; only the first is marked legacy. */
    static const char sql[] =
        "SET table.exec.mini-batch.size = 5000;\n"
        "SET 'table.exec.mini-batch.size' = '5000';\n"
        "SET pipeline.name = 'with spaces';\n";
    sl_script_t sc;
    run_script(&sc, sql, false);
    ck_assert_msg(sc.nerrors == 0, "%s", diag_text(&sc));
    ck_assert_int_eq(sc.stmts.n, 3);
    for (int i = 0; i < 2; i++) {
        const sl_stmt_t *st = SL_LIST_AT(sc.stmts, i, const sl_stmt_t *);
        ck_assert_int_eq(st->kind, SL_S_SET);
        ck_assert_int_eq(st->legacy, i == 0);
        ck_assert_str_eq(st->key, "table.exec.mini-batch.size");
        ck_assert_str_eq(st->value, "5000");
    }
    const sl_stmt_t *st = SL_LIST_AT(sc.stmts, 2, const sl_stmt_t *);
    ck_assert_str_eq(st->key, "pipeline.name");
    ck_assert_str_eq(st->value, "with spaces");
    sl_script_destroy(&sc);
}
END_TEST

/* ---- direct tests: positions ---------------------------------------------- */

START_TEST(test_linecol_utf8)
{
    /* Columns count characters: é is 2 bytes, € 3, the emoji 4. */
    static const char sql[] = "SELECT 'é€\xF0\x9F\x98\x80' AS s, nope;\n"
                              "-- ünïcødé\n"
                              "SELECT 'ö', 2;";
    sl_script_t sc;
    run_script(&sc, sql, false);
    const char *nope = strstr(sc.src, "nope");
    int line, col;
    sl_script_linecol(&sc, (int)(nope - sc.src), &line, &col);
    ck_assert_int_eq(line, 1);
    ck_assert_int_eq(col, 20);
    /* The binder's error about it is at the same place. */
    const sl_diag_t *d = first_error(&sc);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->off, (int)(nope - sc.src));
    /* The start of a line, a character after multi-byte ones, the end. */
    const char *two = strrchr(sc.src, '2');
    sl_script_linecol(&sc, (int)(two - sc.src), &line, &col);
    ck_assert_int_eq(line, 3);
    ck_assert_int_eq(col, 13);
    const char *l2 = strstr(sc.src, "-- ");
    sl_script_linecol(&sc, (int)(l2 - sc.src), &line, &col);
    ck_assert_int_eq(line, 2);
    ck_assert_int_eq(col, 1);
    sl_script_linecol(&sc, 0, &line, &col);
    ck_assert_int_eq(line, 1);
    ck_assert_int_eq(col, 1);
    sl_script_linecol(&sc, sc.srclen, &line, &col);
    ck_assert_int_eq(line, 3);
    ck_assert_int_eq(col, 15);
    sl_script_destroy(&sc);
}
END_TEST

START_TEST(test_several_errors_one_per_statement)
{
    /* Each broken statement is reported once, at its own position; the
     * valid statements between them are parsed and bound (the last query
     * uses a table created between two errors). */
    static const char sql[] =
        "CREATE TABLE good_src (id INT, label STRING)\n"     /* 1 */
        "  WITH ('connector' = 'datagen');\n"                 /* 2 */
        "SELECT id label FROM good_src WHERE;\n"              /* 3 syntax */
        "SELECT label FROM good_src;\n"                       /* 4 */
        "SELECT missing_col, alsobad FROM good_src;\n"        /* 5 bind */
        "CREATE TABLE good_dst (id INT) WITH ('connector' = 'print');\n"
        "INSERT INTO good_dst SELECT label FROM good_src;\n"  /* 7 bind */
        "SELECT 'open;\n";                                    /* 8 lexical */
    sl_script_t sc;
    run_script(&sc, sql, false);
    ck_assert_int_eq(sc.nstatements, 7);
    ck_assert_int_eq(sc.stmts.n, 5);
    ck_assert_msg(sc.nerrors == 4, "%d errors:%s", sc.nerrors, diag_text(&sc));
    ck_assert_int_eq(sc.diags.n, 4);
    static const struct {
        int line, col;
        const char *frag;
    } want[] = {
        {3, 36, "unexpected end of statement"},
        {5, 8, "column 'missing_col' not found"},
        {7, 29, "cannot be written to column 'id'"},
        {8, 8, "unterminated string literal"},
    };
    bool seen[4] = {false, false, false, false};
    for (int i = 0; i < sc.diags.n; i++) {
        const sl_diag_t *d = SL_LIST_AT(sc.diags, i, const sl_diag_t *);
        ck_assert_int_eq(d->level, SL_DIAG_ERROR);
        ck_assert_int_ge(d->off, 0);
        int line, col;
        sl_script_linecol(&sc, d->off, &line, &col);
        int k = 0;
        while (k < 4 && want[k].line != line) k++;
        ck_assert_msg(k < 4, "unexpected error at %d:%d: %s", line, col, d->msg);
        ck_assert_msg(!seen[k], "two errors on line %d", line);
        seen[k] = true;
        ck_assert_msg(col == want[k].col && strstr(d->msg, want[k].frag),
                      "line %d: want col %d \"%s\", got col %d: %s", line,
                      want[k].col, want[k].frag, col, d->msg);
    }
    sl_script_destroy(&sc);
}
END_TEST

START_TEST(test_parse_only_skips_binding)
{
    /* Without the binder, unknown names are not errors; syntax still is. */
    sl_script_t sc;
    run_script(&sc, "SELECT nothing FROM nowhere;\nSELECT FROM;\n", true);
    ck_assert_int_eq(sc.stmts.n, 1);
    ck_assert_int_eq(sc.nerrors, 1);
    const sl_diag_t *d = first_error(&sc);
    int line, col;
    sl_script_linecol(&sc, d->off, &line, &col);
    ck_assert_int_eq(line, 2);
    ck_assert_int_eq(col, 8);
    sl_script_destroy(&sc);
}
END_TEST

START_TEST(test_error_offsets_in_range)
{
    /* Every diagnostic of every rejected row has a position inside the
     * source, also when only parsing. */
    for (int p = 0; p < 2; p++) {
        for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
            sl_script_t sc;
            run_script(&sc, bad_cases[i].sql, p == 1);
            for (int k = 0; k < sc.diags.n; k++) {
                const sl_diag_t *d = SL_LIST_AT(sc.diags, k, const sl_diag_t *);
                ck_assert_msg(d->off >= 0 && d->off <= sc.srclen &&
                                  d->len >= 0,
                              "%s: diagnostic at %d+%d: %s", bad_cases[i].name,
                              d->off, d->len, d->msg);
            }
            sl_script_destroy(&sc);
        }
    }
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *sql_suite(void)
{
    Suite *s = suite_create("sql");
    TCase *tc = tcase_create("accepts");
    tcase_add_loop_test(tc, test_accepts, 0, N(ok_cases));
    suite_add_tcase(s, tc);
    tc = tcase_create("rejects");
    tcase_add_loop_test(tc, test_rejects, 0, N(bad_cases));
    tcase_add_test(tc, test_error_offsets_in_range);
    suite_add_tcase(s, tc);
    tc = tcase_create("split");
    tcase_add_test(tc, test_split_strings_and_comments);
    tcase_add_test(tc, test_split_statement_set_block);
    tcase_add_test(tc, test_split_begin_end_statements);
    tcase_add_test(tc, test_split_missing_final_semicolon);
    tcase_add_test(tc, test_split_crlf);
    tcase_add_test(tc, test_legacy_set_fields);
    suite_add_tcase(s, tc);
    tc = tcase_create("positions");
    tcase_add_test(tc, test_linecol_utf8);
    tcase_add_test(tc, test_several_errors_one_per_statement);
    tcase_add_test(tc, test_parse_only_skips_binding);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return sl_test_run_suite(sql_suite());
}
