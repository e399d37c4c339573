package schemas

import "embed"

// API holds the HTTP API's JSON Schemas (api/*.schema.json: requests,
// responses and errors of /api/v1), by path "api/<name>". The OpenAPI
// document of the service refers to them.
//
//go:embed api/*.schema.json
var API embed.FS
