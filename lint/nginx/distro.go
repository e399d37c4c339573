package nginx

import "path/filepath"

// distroFiles are the contents Debian's nginx-common ships for files that
// snippets commonly include by relative name. A repository that keeps only
// its site files still gets `include proxy_params;` linted as nginx on
// Debian would read it, instead of a false "missing include".
var distroFiles = map[string]string{
	"proxy_params": "proxy_set_header Host $http_host;\n" +
		"proxy_set_header X-Real-IP $remote_addr;\n" +
		"proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n" +
		"proxy_set_header X-Forwarded-Proto $scheme;\n",
	"mime.types":     "types {\n    text/html html htm shtml;\n    text/css css;\n    application/javascript js;\n    application/json json;\n}\n",
	"fastcgi_params": "fastcgi_param QUERY_STRING $query_string;\nfastcgi_param REQUEST_METHOD $request_method;\n",
	"fastcgi.conf":   "fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\nfastcgi_param QUERY_STRING $query_string;\n",
	"uwsgi_params":   "uwsgi_param QUERY_STRING $query_string;\nuwsgi_param REQUEST_METHOD $request_method;\n",
	"scgi_params":    "scgi_param REQUEST_METHOD $request_method;\nscgi_param REQUEST_URI $request_uri;\n",
}

func distroFile(pattern string) ([]byte, bool) {
	if filepath.IsAbs(pattern) {
		pattern = filepath.Base(pattern)
		if pattern != "proxy_params" && pattern != "mime.types" {
			return nil, false
		}
	}
	s, ok := distroFiles[pattern]
	return []byte(s), ok
}
