#include "core/zone.h"

int qz_zone_offset(const qz_zone *z, qz_instant t)
{
    for (size_t i = 0; i + 1 < z->n; i++)
        if (t < z->periods[i].until)
            return z->periods[i].offset_s;
    return z->periods[z->n - 1].offset_s;
}

qz_instant qz_zone_instant(const qz_zone *z, qz_date d, int sec)
{
    for (size_t i = 0; i + 1 < z->n; i++) {
        qz_instant t = qz_instant_at(d, sec, z->periods[i].offset_s);
        if (t < z->periods[i].until)
            return t;
    }
    return qz_instant_at(d, sec, z->periods[z->n - 1].offset_s);
}
