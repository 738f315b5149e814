package io.ranker.simulation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MovieLens ratings and movies ({@code ratings.csv}, {@code movies.csv} of an ml-latest(-small) directory, as
 * GroupLens distributes them), restricted to movies and users with enough ratings. Ratings are kept as parallel
 * arrays over dense indices (movie index into {@link #movies()}, user index into {@link #userIds()}).
 */
public final class MovieLensRatings {
    /** A movie: MovieLens id, title, genres ("(no genres listed)" becomes an empty list). */
    public record Movie(int id, String title, List<String> genres) {
    }

    private final List<Movie> movies;
    private final int[] userIds;
    private final int[] user;
    private final int[] movie;
    private final float[] rating;

    private MovieLensRatings(List<Movie> movies, int[] userIds, int[] user, int[] movie, float[] rating) {
        this.movies = movies;
        this.userIds = userIds;
        this.user = user;
        this.movie = movie;
        this.rating = rating;
    }

    /**
     * Loads {@code dir} and keeps movies with at least {@code minMovieRatings} ratings (at most {@code maxMovies}
     * of them, the most rated; ties by id), then users with at least {@code minUserRatings} ratings of those movies.
     */
    public static MovieLensRatings load(Path dir, int minMovieRatings, int maxMovies, int minUserRatings) {
        Path ratingsFile = dir.resolve("ratings.csv"), moviesFile = dir.resolve("movies.csv");
        if (!Files.isRegularFile(ratingsFile) || !Files.isRegularFile(moviesFile)) {
            throw new IllegalArgumentException(dir + " is not a MovieLens directory (needs ratings.csv and movies.csv)");
        }
        Map<Integer, Movie> byId = readMovies(moviesFile);
        List<int[]> pairs = new ArrayList<>(110_000);
        List<Float> values = new ArrayList<>(110_000);
        try (BufferedReader in = Files.newBufferedReader(ratingsFile, StandardCharsets.UTF_8)) {
            String line = in.readLine(); // header
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.split(",", -1);
                try {
                    pairs.add(new int[]{Integer.parseInt(f[0]), Integer.parseInt(f[1])});
                    values.add(Float.parseFloat(f[2]));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(ratingsFile + " line " + lineNo + ": not userId,movieId,rating,...: " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Integer, Integer> perMovie = new HashMap<>();
        for (int[] p : pairs) if (byId.containsKey(p[1])) perMovie.merge(p[1], 1, Integer::sum);
        List<Integer> kept = perMovie.entrySet().stream().filter(e -> e.getValue() >= minMovieRatings)
                .sorted((a, b) -> a.getValue().equals(b.getValue()) ? Integer.compare(a.getKey(), b.getKey())
                        : Integer.compare(b.getValue(), a.getValue()))
                .limit(maxMovies).map(Map.Entry::getKey).sorted().toList();
        Map<Integer, Integer> movieIndex = new HashMap<>();
        List<Movie> movies = new ArrayList<>(kept.size());
        for (int id : kept) {
            movieIndex.put(id, movies.size());
            movies.add(byId.get(id));
        }
        Map<Integer, Integer> perUser = new HashMap<>();
        for (int[] p : pairs) if (movieIndex.containsKey(p[1])) perUser.merge(p[0], 1, Integer::sum);
        int[] users = perUser.entrySet().stream().filter(e -> e.getValue() >= minUserRatings)
                .mapToInt(Map.Entry::getKey).sorted().toArray();
        Map<Integer, Integer> userIndex = new HashMap<>();
        for (int i = 0; i < users.length; i++) userIndex.put(users[i], i);
        int n = 0;
        int[] u = new int[pairs.size()], m = new int[pairs.size()];
        float[] r = new float[pairs.size()];
        for (int k = 0; k < pairs.size(); k++) {
            Integer ui = userIndex.get(pairs.get(k)[0]), mi = movieIndex.get(pairs.get(k)[1]);
            if (ui == null || mi == null) continue;
            u[n] = ui;
            m[n] = mi;
            r[n++] = values.get(k);
        }
        return new MovieLensRatings(List.copyOf(movies), users, Arrays.copyOf(u, n), Arrays.copyOf(m, n), Arrays.copyOf(r, n));
    }

    private static Map<Integer, Movie> readMovies(Path file) {
        Map<Integer, Movie> out = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                List<String> f = csvFields(line);
                if (f.size() < 3) throw new IllegalArgumentException(file + " line " + lineNo + ": not movieId,title,genres: " + line);
                List<String> genres = f.get(2).equals("(no genres listed)") ? List.of() : List.of(f.get(2).split("\\|"));
                int id = Integer.parseInt(f.get(0));
                out.put(id, new Movie(id, f.get(1), genres));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** One CSV record (RFC 4180 quoting: a quoted field may hold commas and doubled quotes; no line breaks). */
    static List<String> csvFields(String line) {
        List<String> out = new ArrayList<>(3);
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    public List<Movie> movies() { return movies; }

    /** MovieLens user id of each user index. */
    public int[] userIds() { return userIds.clone(); }

    public int users() { return userIds.length; }

    public int size() { return rating.length; }

    /** User index of rating {@code k}. */
    public int user(int k) { return user[k]; }

    /** Movie index of rating {@code k}. */
    public int movie(int k) { return movie[k]; }

    /** Stars (0.5..5) of rating {@code k}. */
    public float rating(int k) { return rating[k]; }
}
