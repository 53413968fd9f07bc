"""The JSON API (django-ninja): one NinjaAPI for the whole project; each app adds its router."""

from ninja import NinjaAPI

from werkconferentie.events.api import router as events_router

api = NinjaAPI(
    title="werkconferentie API",
    version="1",
    description="Events, programmes and workshops of children's-rights work conferences.",
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("", events_router)
