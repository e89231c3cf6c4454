-- Lexical, syntax and binder errors in one file: each broken statement is
-- reported exactly once, and the valid statements between them still define
-- tables that later statements use.
-- expect: 19:41: syntax error at "EUR": double quotes do not make a string
-- expect: 24:27: column 'amount_eur' not found in 'invoices'
-- expect: 27:3: user is a reserved word
-- expect: 33:28: INSERT INTO invoice_totals: the query returns 1 column but the table takes 2
-- expect: 35:25: illegal character '@'
-- expect: 41:1: table 'invoice_total' not found; did you mean 'invoice_totals'?
CREATE TABLE invoices (
  invoice_id BIGINT,
  customer STRING,
  amount DECIMAL(12, 2),
  currency CHAR(3),
  issued_at TIMESTAMP(3),
  WATERMARK FOR issued_at AS issued_at - INTERVAL '5' SECOND
) WITH ('connector' = 'datagen');

SELECT * FROM invoices WHERE currency = "EUR";

-- valid: a view used further down
CREATE VIEW big_invoices AS SELECT * FROM invoices WHERE amount > 1000;

SELECT invoices.customer, invoices.amount_eur FROM invoices;

CREATE TABLE bad_cols (
  user STRING
) WITH ('connector' = 'blackhole');

CREATE TABLE invoice_totals (customer STRING, total DECIMAL(38, 2))
WITH ('connector' = 'print');

INSERT INTO invoice_totals SELECT customer FROM big_invoices;

SELECT customer, amount @ 2 FROM invoices;

INSERT INTO invoice_totals
SELECT customer, SUM(amount) FROM big_invoices GROUP BY customer;

DESCRIBE
invoice_total;
