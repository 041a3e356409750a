// Package formats owns the encoders from parley's models to outside formats: documents
// that other tools read as they are, such as the timelines of Knight Lab TimelineJS3
// (TimelineJS) and vis-timeline (Vis). Every encoder is a pure function over models:
// no database, no HTTP, no clock, no randomness, so the same events always give the same
// document. Callers (the handlers) load, filter and sort the events; the encoders keep
// the order they are given.
//
// The document types are exported Go structs with JSON tags so that swag can describe
// the endpoints that return them.
package formats
