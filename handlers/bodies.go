package handlers

// Create names, in the API documentation, the body that creates an entity of type T.
// It holds nothing: the server decodes the body into T itself, and the published
// documents derive the body's schema from T's members (models.Members), its required
// members from T's Validate and its example from the built-in dataset (api/openapi.go).
type Create[T any] struct{}

// Replace names, in the API documentation, the body that replaces an entity of type T:
// the same members as Create, the whole new state.
type Replace[T any] struct{}

// Patch names, in the API documentation, the JSON merge patch (RFC 7396) of an entity of
// type T: any of Create's members, null removing an optional one.
type Patch[T any] struct{}
