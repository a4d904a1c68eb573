{{- define "remote.name" -}}remote{{- end -}}
