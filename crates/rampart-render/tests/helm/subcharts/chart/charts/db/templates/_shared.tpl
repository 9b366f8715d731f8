{{- define "shared.name" -}}child-loses{{- end -}}
