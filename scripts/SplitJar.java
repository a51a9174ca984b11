/*
 * java scripts/SplitJar.java JAR LISTDIR [KEEP_PREFIX...]
 *
 * Splits the shaded JAR in two, in place. JAR keeps every class of a package HAS loads a class from (the
 * packages of the classes named in LISTDIR's class lists), every class under a KEEP_PREFIX (HAS's own,
 * io/has/) and every other entry (resources, service files, META-INF/versions). has-extra.jar, written
 * beside it, takes the classes of the libraries' other packages (netty, ZooKeeper's server, Undertow's
 * client and websockets, most of logback's and Guava's, ...). Run by `mvn package` after
 * StripLocalVariables.java and before scripts/cds-archive, which writes the archives from the same lists.
 *
 * Why: the JVM keeps the central directory of every jar it opened on the Java heap for the process's life.
 * The whole jar's (12,800 entries) took 1.3 MB of every daemon's heap, for the ~2,000 library classes
 * a daemon or hasctl loads. has-extra.jar is opened only when a class or resource of one of its packages
 * is asked for. Whole packages stay together because libraries look up names that do not exist (pgjdbc's
 * org/postgresql/driverconfig.properties, optional classes): in a package split over both jars, each
 * such lookup would open has-extra.jar too. For the same reason a package whose classes are only looked
 * up, never loaded, is kept with a KEEP_PREFIX: pgjdbc's org/postgresql/translation/, where it looks for
 * a message bundle for the default locale (messages_en, which does not exist) when it first formats an
 * error.
 *
 * How the JVM finds has-extra.jar (both are in JAR):
 *   - META-INF/INDEX.LIST, a jar index that names has-extra.jar and its packages: Java 17 to 20 look in
 *     has-extra.jar only for a name in one of those packages;
 *   - the manifest's Class-Path: has-extra.jar, for a JVM that ignores jar indexes (Java 21 and later)
 *     and for the class-data sharing archive, which records both jars.
 * A daemon that must load a class from has-extra.jar therefore still works; it only holds that jar's
 * directory too. Directory entries are left out of both jars (no class loader needs them).
 *
 * Running it on an already split jar changes nothing more. Exit status 0 on success, 1 on an I/O error
 * (JAR is then unchanged), 2 on bad arguments.
 */

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

public final class SplitJar {

    /** The second jar's name, beside the first (the manifest and the index name it relative to the jar). */
    static final String EXTRA = "has-extra.jar";
    private static final String INDEX = "META-INF/INDEX.LIST";
    private static final List<String> LISTS = List.of("has.classlist", "hasctl.classlist");

    private SplitJar() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: java SplitJar.java JAR LISTDIR [KEEP_PREFIX...]");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        try {
            Set<String> kept = packages(listedClasses(Path.of(args[1])));
            List<String> keep = Arrays.asList(args).subList(2, args.length);
            System.out.println("split-jar: " + split(jar, kept, keep));
        } catch (IOException e) {
            System.err.println("split-jar: cannot split " + jar + ": " + e);
            System.exit(1);
        }
    }

    /** The class names (a/b/C) of the class lists' class lines; lambda and comment lines skipped. */
    static Set<String> listedClasses(Path dir) throws IOException {
        Set<String> names = new HashSet<>();
        for (String list : LISTS) {
            for (String line : Files.readAllLines(dir.resolve(list))) {
                if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("@")) {
                    names.add(line.strip().split("\\s+", 2)[0]);
                }
            }
        }
        if (names.isEmpty()) {
            throw new IOException("no class names in " + LISTS + " under " + dir);
        }
        return names;
    }

    /** The packages (a/b) of these class names: the first jar keeps every class of them. */
    static Set<String> packages(Set<String> classes) {
        Set<String> packages = new HashSet<>();
        for (String c : classes) {
            packages.add(packageOf(c));
        }
        return packages;
    }

    /** Whether an entry stays in the first jar. */
    static boolean stays(String entry, Set<String> keptPackages, List<String> keep) {
        if (!entry.endsWith(".class") || entry.startsWith("META-INF/")) {
            return true; // resources and versioned classes: a lookup of these must not need the second jar
        }
        return keep.stream().anyMatch(entry::startsWith) || keptPackages.contains(packageOf(entry));
    }

    private static String packageOf(String name) {
        return name.substring(0, Math.max(0, name.lastIndexOf('/')));
    }

    private static String split(Path jar, Set<String> keptPackages, List<String> keep) throws IOException {
        Path extra = jar.resolveSibling(EXTRA);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".split.tmp");
        Path extraTmp = jar.resolveSibling(EXTRA + ".split.tmp");
        int kept = 0;
        int moved = 0;
        Set<String> extraPackages = new TreeSet<>();
        List<ZipFile> sources = new ArrayList<>();
        try (OutputStream file = Files.newOutputStream(tmp);
                ZipOutputStream out = new ZipOutputStream(file);
                OutputStream extraFile = Files.newOutputStream(extraTmp);
                ZipOutputStream extraOut = new ZipOutputStream(extraFile)) {
            ZipFile in = new ZipFile(jar.toFile());
            sources.add(in);
            if (in.getEntry(INDEX) != null && Files.isReadable(extra)) {
                sources.add(new ZipFile(extra.toFile())); // already split: read the second half back
            }
            ZipEntry manifestEntry = in.getEntry(JarFile.MANIFEST_NAME);
            if (manifestEntry == null) {
                throw new IOException("no " + JarFile.MANIFEST_NAME);
            }
            Manifest manifest;
            try (InputStream s = in.getInputStream(manifestEntry)) {
                manifest = new Manifest(s);
            }
            for (ZipFile source : sources) {
                for (Enumeration<? extends ZipEntry> en = source.entries(); en.hasMoreElements();) {
                    String name = en.nextElement().getName();
                    if (isCopied(name) && !stays(name, keptPackages, keep)) {
                        extraPackages.add(packageOf(name));
                    }
                }
            }
            // the manifest first (JarInputStream looks for it there), then the index
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, EXTRA);
            ByteArrayOutputStream m = new ByteArrayOutputStream();
            manifest.write(m);
            copy(out, JarFile.MANIFEST_NAME, manifestEntry.getTime(), m.toByteArray());
            StringBuilder index = new StringBuilder("JarIndex-Version: 1.0\n\n").append(EXTRA).append('\n');
            extraPackages.forEach(p -> index.append(p).append('\n'));
            copy(out, INDEX, manifestEntry.getTime(), index.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            for (ZipFile source : sources) {
                for (Enumeration<? extends ZipEntry> en = source.entries(); en.hasMoreElements();) {
                    ZipEntry e = en.nextElement();
                    String name = e.getName();
                    if (!isCopied(name) || name.equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    byte[] bytes;
                    try (InputStream s = source.getInputStream(e)) {
                        bytes = s.readAllBytes();
                    }
                    if (stays(name, keptPackages, keep)) {
                        copy(out, name, e.getTime(), bytes);
                        kept++;
                    } else {
                        copy(extraOut, name, e.getTime(), bytes);
                        moved++;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            closeAll(sources);
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(extraTmp);
            throw e instanceof IOException io ? io : new IOException(e);
        }
        closeAll(sources);
        Files.move(extraTmp, extra, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        return String.format("%s: %d entries kept, %d classes in %d packages moved to %s", jar, kept + 2, moved,
                extraPackages.size(), extra);
    }

    /** Directories and the index are not copied (the index is written anew). */
    private static boolean isCopied(String name) {
        return !name.endsWith("/") && !name.equals(INDEX);
    }

    private static void closeAll(List<ZipFile> files) throws IOException {
        for (ZipFile f : files) {
            f.close();
        }
    }

    private static void copy(ZipOutputStream out, String name, long time, byte[] bytes) throws IOException {
        ZipEntry copy = new ZipEntry(name);
        copy.setTime(time);
        out.putNextEntry(copy);
        out.write(bytes);
        out.closeEntry();
    }
}
