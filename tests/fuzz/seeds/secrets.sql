CREATE TABLE t (
  id INT,
  name STRING
) WITH ('connector' = 'jdbc', 'password' = 'hunter2' 'url' = 'x');
CREATE TABLE u (a INT) WITH ('connector' = 'x',
  'password' = 'swordfish', 'bad);
