"""``kpisync sandbox ...``: start the sandbox on loopback, or seed a data directory with the sample world."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sandbox.seed import seed_sample
from sandbox.server import serve_forever

sandbox_app = typer.Typer(help="The local stand-in for Google Workspace (Forms, Drive, Sheets) on loopback.")

DataDir = Annotated[Path, typer.Option("--data", help="Directory holding the sandbox's state (JSON files).")]


@sandbox_app.command()
def serve(
    data: DataDir,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1; 0 picks a free one.")] = 0,
    host: Annotated[str, typer.Option(help="Address to bind; keep it on loopback.")] = "127.0.0.1",
    seed: Annotated[bool, typer.Option("--seed/--no-seed", help="Load the sample world first.")] = True,
) -> None:
    """Serve until Ctrl-C, printing the base URL first."""
    if seed:
        seed_sample(data)
    serve_forever(data, host=host, port=port, announce=typer.echo)


@sandbox_app.command("seed")
def seed_command(data: DataDir) -> None:
    """Write the sample world (sandbox/SAMPLE_SPEC.md) into DATA and print where its manifest is."""
    manifest = seed_sample(data)
    typer.echo(f"{manifest['response_count']} responses; manifest: {data / 'sample_manifest.json'}")


if __name__ == "__main__":
    sandbox_app()
