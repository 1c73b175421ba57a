"""Running the app on more than one process or machine: nginx in front of replicas (cluster.py), a container recipe and Kubernetes manifests."""
