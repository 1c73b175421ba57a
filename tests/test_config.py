"""The public-deployment settings in .streamlit/config.toml, as Streamlit itself reads them."""

import pathlib
import tomllib

import pytest
from streamlit import config

CONFIG_FILE = pathlib.Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"

EXPECTED = {
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.corsAllowedOrigins": [],
    "server.enableStaticServing": False,
    "server.maxUploadSize": 4,  # landscapes.tables.MAX_BYTES, rounded up to whole MB
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "server.headless": True,
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",
    "client.showErrorLinks": False,
    "browser.gatherUsageStats": False,
    "runner.fastReruns": True,
    "runner.postScriptGC": False,
}


def _file_values() -> dict:
    raw = tomllib.loads(CONFIG_FILE.read_text())
    return {f"{section}.{key}": value for section, table in raw.items() for key, value in table.items()}


@pytest.mark.parametrize("option, expected", sorted(EXPECTED.items()))
def test_config_file_sets_public_deployment_value(option, expected):
    assert _file_values()[option] == expected


@pytest.mark.parametrize("option, expected", sorted(EXPECTED.items()))
def test_streamlit_parses_the_file_to_the_same_value(option, expected, monkeypatch):
    # Streamlit reads ./.streamlit/config.toml from the working directory: parse it the way `streamlit run` does.
    monkeypatch.chdir(CONFIG_FILE.parents[1])
    config._config_options = None
    try:
        config.get_config_options(force_reparse=True)
        assert config.get_option(option) == expected
    finally:
        config._config_options = None
        config.get_config_options(force_reparse=True)


def test_every_option_in_the_file_is_known_to_streamlit():
    options = config.get_config_options()
    unknown = [key for key in _file_values() if key not in options]
    assert unknown == []


def test_the_upload_limit_lets_the_largest_allowed_csv_through():
    from landscapes import tables

    assert tables.MAX_BYTES <= EXPECTED["server.maxUploadSize"] * 1024 * 1024
