// Package gdelt imports GDELT event files: Decode turns each kept row into the actors,
// location, source and event parley stores, with deterministic slugs so that importing
// again updates rather than duplicates. It owns the code tables GDELT writes in: CAMEO
// event codes (read from the embedded CAMEO code book), CAMEO actor and country codes,
// and FIPS 10-4 country codes. Like the rest of formats it is pure: no database, no HTTP.
package gdelt
