"""More than one process or machine: nginx in front of replicas (cluster.py, nginx.conf), a container recipe
(Dockerfile) and Kubernetes manifests (kubernetes.yaml).  README "Scaling out"."""
