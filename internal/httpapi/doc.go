// Package httpapi serves kho's JSON API with chi: each handler parses and
// validates its parameters, makes one engine call and encodes a response type
// owned by this package. Errors map to statuses in one place.
package httpapi
