# gen_debezium.awk - a debezium-json changelog for scripts/bench/groupby.sh.
#
#   awk -v lines=2000000 -v keys=100000 -v seed=42 -f gen_debezium.awk > cdc.json
#
# Rows of a table (id BIGINT, k BIGINT, amt DECIMAL(10,2)) are created,
# updated (new k and amt: the GROUP BY sees -U of the old group, +U of the
# new one) and deleted: per line, 50% 'c' while any row is live, 40% 'u'
# of a random live row, 10% 'd' of a random live row. k is uniform in
# [1, keys], amt in [0.00, 1000.00] (as the datagen source of the bench).
# The job reads 1 row per 'c' and 'd' line and 2 per 'u' line: about
# 1.4 rows per line.
function row(id, k, a) {
    return sprintf("{\"id\":%d,\"k\":%d,\"amt\":%d.%02d}", id, k, int(a / 100), a % 100)
}
BEGIN {
    if (lines == "") lines = 2000000
    if (keys == "") keys = 100000
    if (seed == "") seed = 42
    srand(seed)
    live = 0
    next_id = 1
    for (i = 0; i < lines; i++) {
        r = rand()
        if (live == 0 || r < 0.5) {
            id = next_id++
            K[id] = 1 + int(rand() * keys)
            A[id] = int(rand() * 100001)
            ids[live] = id
            live++
            printf "{\"before\":null,\"after\":%s,\"op\":\"c\"}\n", row(id, K[id], A[id])
        } else if (r < 0.9) {
            id = ids[int(rand() * live)]
            k = 1 + int(rand() * keys)
            a = int(rand() * 100001)
            printf "{\"before\":%s,\"after\":%s,\"op\":\"u\"}\n", row(id, K[id], A[id]), row(id, k, a)
            K[id] = k
            A[id] = a
        } else {
            j = int(rand() * live)
            id = ids[j]
            printf "{\"before\":%s,\"after\":null,\"op\":\"d\"}\n", row(id, K[id], A[id])
            ids[j] = ids[live - 1]
            delete ids[live - 1]
            live--
            delete K[id]
            delete A[id]
        }
    }
}
