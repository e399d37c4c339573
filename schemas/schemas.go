// Package schemas embeds wslint's JSON Schema files (*.schema.json in this
// directory). It is a leaf package: it imports nothing of wslint's.
package schemas

import "embed"

// FS holds every *.schema.json file of this directory, by base name.
//
//go:embed *.schema.json
var FS embed.FS

// UnitConfigName is the file name of the NGINX Unit /config schema in FS.
const UnitConfigName = "unit-config.schema.json"

// UnitConfig returns a fresh copy of unit-config.schema.json, the JSON Schema
// (draft 2020-12) of NGINX Unit 1.35's /config document. It returns nil only
// if the file was not embedded, which the package tests rule out.
func UnitConfig() []byte {
	b, err := FS.ReadFile(UnitConfigName)
	if err != nil {
		return nil
	}
	return b
}
