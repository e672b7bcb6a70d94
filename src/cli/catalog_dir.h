/*
 * catalog_dir.h — where the catalogue is when no one says: next to the program itself,
 * so that a copied, installed or freshly cloned tree reads its own catalog/, never the
 * folder of the tree it was built in.
 *
 * The order: `--catalog DIR`, then $QYZMET_CATALOG (main.c), then the first of
 * <bin>/catalog, <bin>/../catalog, <bin>/../../catalog and <bin>/../share/qyzmet/catalog
 * that holds a services/ folder, <bin> being the folder of the running executable
 * (/proc/self/exe, else argv[0]). build/qyzmet and build/asan/qyzmet thus find the
 * repository's catalog/, and an installed bin/qyzmet its share/qyzmet/catalog.
 *
 * Not thread-safe (a static buffer); called once by main before any thread starts.
 */
#ifndef QZ_CLI_CATALOG_DIR_H
#define QZ_CLI_CATALOG_DIR_H

/* Returns the catalogue folder found next to the executable (a static buffer), or NULL
 * when none of the places above holds one. */
const char *qz_cli_find_catalog(const char *argv0);

#endif
