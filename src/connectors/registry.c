/* registry.c - the list of connector types, looked up by their 'connector'
 * option value.
 *
 * A static array: connectors register by being listed here, so the set is
 * known at compile time and lookups need no locking from any thread.
 */
#include "connectors/connector.h"

#include <string.h>

#include "connectors/blackhole/blackhole.h"
#include "connectors/collect/collect.h"
#include "connectors/datagen/datagen.h"
#include "connectors/elasticsearch/es.h"
#include "connectors/filesystem/filesystem.h"
#include "connectors/jdbc/jdbc.h"
#include "connectors/mysql/mysql_cdc.h"
#include "connectors/print/print.h"

static const sl_connector_type_t *const types[] = {
    &sl_datagen_connector,
    &sl_print_connector,
    &sl_blackhole_connector,
    &sl_filesystem_connector,
    &sl_mysql_cdc_connector,
    &sl_jdbc_connector,
    &sl_elasticsearch7_connector,
    &sl_elasticsearch6_connector,
    &sl_collect_connector,
};

#define NTYPES ((int)(sizeof types / sizeof types[0]))

const sl_connector_type_t *sl_connector_find(const char *name)
{
    if (!name) return NULL;
    for (int i = 0; i < NTYPES; i++)
        if (strcmp(types[i]->name, name) == 0) return types[i];
    return NULL;
}

const sl_connector_type_t *sl_connector_at(int i)
{
    return i >= 0 && i < NTYPES ? types[i] : NULL;
}
