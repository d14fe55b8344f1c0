"""A FastAPI endpoint that does nothing with the body it is sent: the floor benchmarks/
service.py measures the service's own cost per request against (served by uvicorn, one
worker, as `governance serve` is)."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response

app = FastAPI()


@app.post("/noop")
async def noop(request: Request) -> Response:
    await request.body()  # read, as a real endpoint must
    return Response(b"{}", media_type="application/json")


@app.get("/health")
async def health() -> Response:
    return Response(b"{}", media_type="application/json")
