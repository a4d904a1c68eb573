{{- define "common.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
{{- end -}}
