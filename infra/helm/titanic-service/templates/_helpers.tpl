{{/* Labels on every object: the same set the kustomize base and overlays apply. */}}
{{- define "titanic-service.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/part-of: {{ .Values.systemName }}
app.kubernetes.io/instance: {{ .Chart.Name }}-{{ .Values.environment }}
backstage.io/kubernetes-id: {{ .Chart.Name }}
environment: {{ .Values.environment }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels: immutable once a Deployment exists, so only the name. */}}
{{- define "titanic-service.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
{{- end -}}

{{- define "titanic-service.clusterName" -}}
{{ .Values.systemName }}-{{ .Values.environment }}
{{- end -}}
