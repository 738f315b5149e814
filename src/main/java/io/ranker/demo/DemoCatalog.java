package io.ranker.demo;

import io.ranker.core.Item;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic generator of a realistic product catalog for the demo and for benchmarks: titles built from
 * category nouns, adjectives and brands; prices, stock, dates, ratings, a Zipf-like popularity and a few
 * sponsored items; and clustered embeddings (category centroid + brand offset + noise), so that vector search
 * finds items of the same kind and text search finds items by their words.
 */
public final class DemoCatalog {
    record Category(String name, String[] nouns, String[] adjectives, String[] brands, double minPrice, double maxPrice) {
    }

    static final List<Category> CATEGORIES = List.of(
            new Category("running-shoes", new String[]{"Running Shoes", "Trail Runners", "Racing Flats", "Road Running Shoes"},
                    new String[]{"Lightweight", "Cushioned", "Waterproof", "Breathable", "Stability"}, new String[]{"Stridex", "Northpeak", "Velo", "Asterra"}, 40, 220),
            new Category("jackets", new String[]{"Rain Jacket", "Down Jacket", "Softshell Jacket", "Windbreaker", "Parka"},
                    new String[]{"Packable", "Insulated", "Waterproof", "Hooded", "Recycled"}, new String[]{"Northpeak", "Fjordline", "Urbanite", "Tundra Co"}, 50, 400),
            new Category("laptops", new String[]{"Laptop", "Ultrabook", "Gaming Laptop", "2-in-1 Laptop", "Chromebook"},
                    new String[]{"14-inch", "16-inch", "Thin", "OLED", "Performance"}, new String[]{"Voltix", "Pixelon", "Corebyte", "Lumen"}, 300, 2800),
            new Category("headphones", new String[]{"Wireless Headphones", "Earbuds", "Noise Cancelling Headphones", "Studio Headphones"},
                    new String[]{"Bluetooth", "Over-Ear", "In-Ear", "Foldable", "Hi-Res"}, new String[]{"Sonique", "Voltix", "Auralux", "Beatline"}, 20, 450),
            new Category("coffee", new String[]{"Espresso Beans", "Ground Coffee", "Cold Brew Concentrate", "Single Origin Beans"},
                    new String[]{"Dark Roast", "Medium Roast", "Organic", "Fair Trade", "Decaf"}, new String[]{"Bean & Co", "Altura", "Morning Ritual", "Crema"}, 8, 45),
            new Category("coffee-makers", new String[]{"Espresso Machine", "Drip Coffee Maker", "French Press", "Pour-Over Kettle", "Burr Grinder"},
                    new String[]{"Programmable", "Stainless Steel", "Compact", "Automatic", "Manual"}, new String[]{"Crema", "Brewmaster", "Kettleworks", "Altura"}, 25, 900),
            new Category("backpacks", new String[]{"Backpack", "Hiking Daypack", "Laptop Backpack", "Travel Pack"},
                    new String[]{"Rolltop", "Water-Resistant", "Anti-Theft", "Ergonomic", "30L"}, new String[]{"Northpeak", "Urbanite", "Trekker", "Fjordline"}, 30, 260),
            new Category("smartphones", new String[]{"Smartphone", "5G Phone", "Rugged Phone", "Compact Phone"},
                    new String[]{"Unlocked", "Dual-SIM", "128GB", "256GB", "Triple-Camera"}, new String[]{"Pixelon", "Voltix", "Nimbus", "Corebyte"}, 150, 1400),
            new Category("yoga", new String[]{"Yoga Mat", "Yoga Blocks", "Yoga Strap", "Meditation Cushion"},
                    new String[]{"Non-Slip", "Eco-Friendly", "Extra Thick", "Travel", "Cork"}, new String[]{"Lotus Lane", "Zenform", "Asterra", "Flowfit"}, 10, 150),
            new Category("cookware", new String[]{"Frying Pan", "Dutch Oven", "Saucepan", "Wok", "Cookware Set"},
                    new String[]{"Nonstick", "Cast Iron", "Stainless Steel", "Ceramic", "Induction-Ready"}, new String[]{"Ironclad", "Chef's Choice", "Copperleaf", "Kettleworks"}, 20, 500),
            new Category("watches", new String[]{"Smartwatch", "Fitness Tracker", "Dive Watch", "Chronograph"},
                    new String[]{"GPS", "Waterproof", "Solar", "Titanium", "Minimalist"}, new String[]{"Timewise", "Voltix", "Nimbus", "Stridex"}, 40, 900),
            new Category("tents", new String[]{"Camping Tent", "Backpacking Tent", "Family Tent", "Bivy"},
                    new String[]{"2-Person", "4-Person", "Ultralight", "4-Season", "Pop-Up"}, new String[]{"Trekker", "Northpeak", "Tundra Co", "Fjordline"}, 60, 700),
            new Category("books", new String[]{"Cookbook", "Mystery Novel", "Travel Guide", "Science Fiction Novel", "Biography"},
                    new String[]{"Bestselling", "Illustrated", "Hardcover", "Paperback", "Award-Winning"}, new String[]{"Penwright", "Inkhouse", "Folio Press", "Lantern Books"}, 8, 60),
            new Category("cameras", new String[]{"Mirrorless Camera", "Action Camera", "Instant Camera", "Camera Lens"},
                    new String[]{"4K", "Full-Frame", "Compact", "Weather-Sealed", "Vlogging"}, new String[]{"Lumen", "Pixelon", "Optiq", "Auralux"}, 80, 3200),
            new Category("toys", new String[]{"Building Blocks Set", "Puzzle", "Board Game", "Plush Toy", "Remote Control Car"},
                    new String[]{"Educational", "1000-Piece", "Family", "Wooden", "STEM"}, new String[]{"Playforge", "Brightkid", "Tinker & Co", "Funhaus"}, 10, 150),
            new Category("skincare", new String[]{"Moisturizer", "Sunscreen", "Face Serum", "Cleanser", "Night Cream"},
                    new String[]{"SPF 50", "Hydrating", "Fragrance-Free", "Vitamin C", "Sensitive Skin"}, new String[]{"Glowlab", "Purederm", "Aloe & Oak", "Zenform"}, 8, 120),
            new Category("bikes", new String[]{"Road Bike", "Mountain Bike", "E-Bike", "Gravel Bike", "Bike Helmet"},
                    new String[]{"Carbon", "Aluminum", "Hydraulic Disc", "Full-Suspension", "Commuter"}, new String[]{"Velo", "Trekker", "Stridex", "Spokewise"}, 60, 4000),
            new Category("tea", new String[]{"Green Tea", "Black Tea", "Herbal Tea", "Matcha Powder", "Oolong Tea"},
                    new String[]{"Loose Leaf", "Organic", "Ceremonial Grade", "Caffeine-Free", "Jasmine"}, new String[]{"Leaf & Kettle", "Altura", "Morning Ritual", "Teahouse"}, 5, 60));

    static final String[] TAGS = {"bestseller", "new", "eco", "gift", "limited", "premium", "budget", "clearance"};
    static final String[] COLORS = {"black", "white", "navy", "red", "green", "grey", "blue", "olive", "sand"};

    public static final long NOW_MILLIS = 1_790_000_000_000L; // fixed "now" keeps the catalog deterministic

    private final int dimension;
    private final float[][] categoryCentroids;
    private final Map<String, float[]> brandOffsets = new LinkedHashMap<>();

    public DemoCatalog(int dimension, long seed) {
        this.dimension = dimension;
        SplittableRandom r = new SplittableRandom(seed);
        categoryCentroids = new float[CATEGORIES.size()][];
        for (int i = 0; i < CATEGORIES.size(); i++) categoryCentroids[i] = unit(gaussian(r, 1.0));
        for (Category c : CATEGORIES) for (String b : c.brands()) brandOffsets.computeIfAbsent(b, k -> gaussian(r, 0.35));
    }

    /** A query a shopper interested in the category might type: a noun, half the time with an adjective. */
    public static String sampleQuery(String category, SplittableRandom r) {
        for (Category c : CATEGORIES) {
            if (!c.name().equals(category)) continue;
            String noun = c.nouns()[r.nextInt(c.nouns().length)];
            String q = r.nextBoolean() ? c.adjectives()[r.nextInt(c.adjectives().length)] + " " + noun : noun;
            return q.toLowerCase(java.util.Locale.ROOT);
        }
        throw new IllegalArgumentException("unknown category " + category);
    }

    public static List<String> categoryNames() {
        return CATEGORIES.stream().map(Category::name).toList();
    }

    /** The unit centroid of a category's embeddings: what a user who likes the category looks like. */
    public float[] centroid(String category) {
        for (int i = 0; i < CATEGORIES.size(); i++) if (CATEGORIES.get(i).name().equals(category)) return categoryCentroids[i].clone();
        throw new IllegalArgumentException("unknown category " + category);
    }

    public List<Item> generate(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Item> items = new ArrayList<>(count);
        for (int n = 0; n < count; n++) items.add(item(n, r));
        return items;
    }

    private Item item(int n, SplittableRandom r) {
        int ci = r.nextInt(CATEGORIES.size());
        Category c = CATEGORIES.get(ci);
        String brand = c.brands()[r.nextInt(c.brands().length)];
        String noun = c.nouns()[r.nextInt(c.nouns().length)];
        String adj = c.adjectives()[r.nextInt(c.adjectives().length)];
        String adj2 = c.adjectives()[r.nextInt(c.adjectives().length)];
        String color = COLORS[r.nextInt(COLORS.length)];
        String title = brand + " " + adj + " " + noun + (r.nextDouble() < 0.4 ? " in " + capitalize(color) : "");
        String text = "The " + brand + " " + noun.toLowerCase() + " is " + adj.toLowerCase() + " and "
                + adj2.toLowerCase() + ". Available in " + color + ". A " + c.name().replace('-', ' ')
                + " favourite for everyday use.";
        double price = Math.round(Math.exp(Math.log(c.minPrice()) + r.nextDouble() * (Math.log(c.maxPrice()) - Math.log(c.minPrice()))) * 100) / 100.0;
        double rating = Math.round((2.5 + 2.5 * Math.pow(r.nextDouble(), 0.6)) * 10) / 10.0;
        double popularity = Math.floor(10_000 / Math.pow(1 + r.nextInt(5_000), 0.8));
        double ageDays = Math.floor(-Math.log(1 - r.nextDouble()) * 180);
        List<String> tags = new ArrayList<>(2);
        for (String t : TAGS) if (r.nextDouble() < 0.12) tags.add(t);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("category", c.name());
        attrs.put("brand", brand);
        attrs.put("color", color);
        attrs.put("price", price);
        attrs.put("rating", rating);
        attrs.put("popularity", popularity);
        attrs.put("in_stock", r.nextDouble() < 0.9);
        attrs.put("sponsored", r.nextDouble() < 0.05);
        attrs.put("age_restricted", c.name().equals("toys") ? Boolean.FALSE : r.nextDouble() < 0.01);
        attrs.put("created_at", (double) (NOW_MILLIS - (long) (ageDays * 86_400_000L)));
        attrs.put("tags", List.copyOf(tags));
        float[] v = new float[dimension];
        float[] centroid = categoryCentroids[ci];
        float[] brandOff = brandOffsets.get(brand);
        float[] noise = gaussian(r, 0.25);
        for (int i = 0; i < dimension; i++) v[i] = centroid[i] + brandOff[i] / (float) Math.sqrt(dimension) * 4 + noise[i] / (float) Math.sqrt(dimension) * 4;
        return new Item(String.format("p%06d", n), title, text, attrs, unit(v));
    }

    private float[] gaussian(SplittableRandom r, double sigma) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
            double u1 = 1 - r.nextDouble(), u2 = r.nextDouble();
            v[i] = (float) (sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }

    static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) n += x * x;
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        return v;
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
