// Package models holds parley's domain: the entities (actors, locations, sources,
// events, statements, revisions), their enumerations, dates with precision, their
// validation and the typed errors that every layer returns. It imports nothing of
// parley, so every other package can depend on it.
package models
