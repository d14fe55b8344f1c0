"""The workbench (办理台, docs/workbench.md): server-rendered pages for the people who do the
work, at ``/`` beside the API under ``/v1``, on the same authorisation policy; and the API's
interactive documentation at ``/docs``. Every page, style, script and the Swagger UI come
from installed packages: no request leaves the machine."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

__all__ = ["install"]

_SWAGGER = "/docs/assets"


def install(app: FastAPI) -> None:
    """Serve the workbench's pages and assets and the local Swagger UI on ``app`` (created
    with ``docs_url=None``)."""
    # here, not above: the service's problems read this package's language, and the pages
    # read the service's problems
    from governance_core.service.web.pages import router

    app.mount(
        "/static",
        StaticFiles(packages=[("governance_core.service.web", "static")]),
        name="static",
    )
    app.mount(_SWAGGER, StaticFiles(directory=str(swagger_ui_path)), name="swagger")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="governance_core",
            swagger_js_url=f"{_SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{_SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{_SWAGGER}/favicon-32x32.png",
        )

    app.include_router(router)
