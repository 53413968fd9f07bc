"""The bundled example conference (Roden 2022), used by the demo, the tests and the benchmarks."""

from importlib import resources

EXAMPLE_SLUG = "roden-2022"


def example_event_file():
    return resources.files("werkconferentie.events") / "data" / "roden-2022.yaml"
