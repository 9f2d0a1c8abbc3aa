/// The sign-in form: the server token, posted to `/login`, which answers with an HttpOnly,
/// SameSite=Strict session cookie.
public enum LoginForm {
    public static func render(message: String?) -> String {
        var html = "<form method=\"post\" action=\"/login\" class=\"inline\" id=\"login-form\">"
        if let message { html += "<span class=\"bad\">\(HTMLText.escape(message))</span> " }
        html +=
            "<label>token <input type=\"password\" name=\"token\" autocomplete=\"current-password\" required></label>"
        return html + "<button type=\"submit\">Sign in</button></form>"
    }

    /// A page with only the form (a console bound beyond loopback shows nothing before sign-in).
    public static func page(message: String?) -> String {
        PageFrame.open(title: "auditwatch: sign in") + "<header><h1>auditwatch</h1>" + render(message: message)
            + "</header>\n" + PageFrame.close()
    }
}
