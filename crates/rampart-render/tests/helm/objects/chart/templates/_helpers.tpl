{{- define "objects.name" -}}{{ .Chart.Name }}-{{ .Release.Name }}{{- end -}}
