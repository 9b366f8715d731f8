{{/* A comment at the top of a partial */}}
{{- define "templating.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "templating.labels" -}}
app: {{ .Values.name }}
chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- range $k, $v := .Values.labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{- define "templating.empty" }}{{ end }}
{{- define "templating.recurse" -}}
{{- if gt (int .) 0 -}}{{ . }},{{ include "templating.recurse" (sub . 1) }}{{- end -}}
{{- end -}}
