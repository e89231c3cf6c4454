-- Every broken statement is reported once; valid ones between them pass.
-- expect: 13:3: syntax error at 'amount', expected ',' or ')'
-- expect: 18:8: column 'price' not found in any table
-- expect: 21:6: table 'payment' not found; did you mean 'payments'?
-- expect: 24:1: unexpected end of statement, expected an expression
CREATE TABLE payments (
  id BIGINT,
  amount DECIMAL(10, 2)
) WITH ('connector' = 'datagen');

CREATE TABLE broken (
  id BIGINT
  amount DECIMAL(10, 2)
) WITH ('connector' = 'datagen');

SELECT id, amount FROM payments;

SELECT price FROM payments;

SELECT COUNT(*)
FROM payment;

SELECT id FROM payments WHERE
