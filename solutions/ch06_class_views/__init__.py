"""Chapter 6: class-based views: View, MethodView, as_view, methods, decorators and endpoints."""
