from django.utils import translation


class UserLanguageMiddleware:
    """Use a logged-in user's saved language over the browser's.

    It runs after LocaleMiddleware and AuthenticationMiddleware; with no saved
    choice, LocaleMiddleware's pick (cookie, then Accept-Language) stands.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
