-- Columns count characters, not bytes: the errors below follow accented
-- letters, CJK characters and an emoji on the same line.
-- expect: 9:27: column 'prix' not found in any table; did you mean 'price'?
-- expect: 10:24: illegal character '@'
-- expect: 11:32: syntax error at 'catalogue'
CREATE TABLE catalogue (sku STRING, `libellé` STRING, price DECIMAL(8, 2))
WITH ('connector' = 'datagen');
SELECT sku, `libellé` FROM catalogue WHERE `libellé` LIKE '%café%';
SELECT '商品 ✓', `libellé`, prix FROM catalogue;
SELECT 'naïve 😀' AS s, @ FROM catalogue;
SELECT 'Größe', `libellé` FORM catalogue;
