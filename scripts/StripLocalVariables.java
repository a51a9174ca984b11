/*
 * java -cp JAR scripts/StripLocalVariables.java JAR [KEEP_PREFIX...]
 *
 * Rewrites JAR (the shaded has.jar, which carries ASM through jnr-ffi) without the LocalVariableTable and
 * LocalVariableTypeTable attributes of its classes, except those whose entry name starts with a
 * KEEP_PREFIX (HAS's own: io/has/). Run by `mvn package` between the shade plugin and scripts/cds-archive.
 *
 * Why: the class-data sharing archive holds every method of every archived class, and the JVM relocates
 * the archive when it maps it, so all of it is resident in every daemon. The libraries' debug tables of
 * local variable names took ~1 MiB of it. Stack traces do not use them (they use LineNumberTable, which
 * stays), nor does reflection (parameter names come from MethodParameters, which stays); only a debugger
 * stepping through library code shows fewer names.
 *
 * Entries keep their order and times; a class ASM cannot read is copied unchanged and counted. Running it
 * twice changes nothing more. Exit status 0 on success, 1 on an I/O error (the jar is then unchanged),
 * 2 on bad arguments.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.TypePath;

public final class StripLocalVariables {

    private StripLocalVariables() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: java -cp JAR StripLocalVariables.java JAR [KEEP_PREFIX...]");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        List<String> keep = Arrays.asList(args).subList(1, args.length);
        try {
            System.out.println("strip-local-variables: " + rewrite(jar, keep));
        } catch (IOException e) {
            System.err.println("strip-local-variables: cannot rewrite " + jar + ": " + e);
            System.exit(1);
        }
    }

    private static String rewrite(Path jar, List<String> keep) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".strip.tmp");
        long before = 0;
        long after = 0;
        int classes = 0;
        int unreadable = 0;
        try (ZipFile in = new ZipFile(jar.toFile());
                OutputStream file = Files.newOutputStream(tmp);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements();) {
                ZipEntry e = en.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                if (e.getName().endsWith(".class") && keep.stream().noneMatch(e.getName()::startsWith)) {
                    try {
                        byte[] stripped = strip(bytes);
                        before += bytes.length;
                        after += stripped.length;
                        classes++;
                        bytes = stripped;
                    } catch (RuntimeException ex) { // e.g. a class file newer than this ASM reads
                        unreadable++;
                    }
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e instanceof IOException io ? io : new IOException(e);
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        return String.format("%s: %d classes, %d -> %d bytes of class files%s", jar, classes, before, after,
                unreadable == 0 ? "" : "; " + unreadable + " unreadable classes copied unchanged");
    }

    /** The class without local variable tables; everything else as ASM reads it. */
    static byte[] strip(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        // a fresh writer (not sharing the reader's constant pool) drops the names only the tables used
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature,
                        exceptions)) {
                    @Override
                    public void visitLocalVariable(String n, String d, String s, Label start, Label end, int i) {
                        // dropped
                    }

                    @Override
                    public AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath,
                            Label[] start, Label[] end, int[] index, String d, boolean visible) {
                        return null; // dropped with the variables they annotate
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }
}
