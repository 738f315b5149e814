package io.ranker.api;

import io.ranker.config.RankingSettings;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks the admin bearer token ({@code ranking.admin.token}) for publishing, promotion and rollback. */
@ApplicationScoped
public class AdminGuard {
    private final RankingSettings settings;

    public AdminGuard(RankingSettings settings) {
        this.settings = settings;
    }

    /**
     * @param authorization the raw Authorization header
     * @return the actor name recorded in audit trails ("admin")
     * @throws ProblemException 401 without a valid token, 403 when no token is configured at all
     */
    public String requireAdmin(String authorization) {
        String expected = settings.admin().token().filter(t -> !t.isBlank()).orElse(null);
        if (expected == null) {
            throw new ProblemException(403, "Forbidden",
                    "Admin operations are disabled: set ranking.admin.token (RANKING_ADMIN_TOKEN) to enable them");
        }
        String given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(401, "Unauthorized",
                    "This operation needs the admin token: send 'Authorization: Bearer <token>'");
        }
        return "admin";
    }
}
