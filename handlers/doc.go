// Package handlers holds parley's HTTP handlers, one file per resource: each decodes
// and validates the request, calls the store through a small interface and writes the
// response. Failures are passed to gin as *models.Error values; the api package turns
// them into problem+json. The swag annotations that document the API live here.
package handlers
