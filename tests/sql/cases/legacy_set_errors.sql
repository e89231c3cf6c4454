-- Broken SET statements, each reported where it goes wrong; the valid
-- ones between them pass.
-- expect: 8:25: expected '=' after the key 'parallelism.default'
-- expect: 10:40: unexpected text after the value
-- expect: 11:5: expected SET 'key' = 'value' or SET key = value
-- expect: 12:27: the value of 'table.exec.state.ttl' is missing
-- expect: 14:36: syntax error at '8', expected a string
SET parallelism.default 4;
SET 'parallelism.default' = '4';
SET execution.runtime-mode = streaming batch;
SET = 'orphan';
SET table.exec.state.ttl =   ;
SET table.exec.state.ttl = 1h;
SET 'table.exec.mini-batch.size' = 8;
RESET 'table.exec.mini-batch.size';
