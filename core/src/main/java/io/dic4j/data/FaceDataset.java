package io.dic4j.data;

import io.dic4j.util.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Faces to train or evaluate on, from any supported annotation format: the authors' {@code .pkl} info lists,
 * 300-W {@code .pts} files (with a box CSV or boxes around the points), Helen's annotation folder, CelebA's
 * landmark list, or a plain folder of images. Every record's image exists, and all carry the same number of
 * landmarks (or none).
 */
public final class FaceDataset {

    private static final int LISTED_MISSING = 5;

    private final List<FaceRecord> records;
    private final int landmarkCount;

    private FaceDataset(Path source, List<FaceRecord> records) throws AnnotationException {
        this.records = List.copyOf(records);
        this.landmarkCount = records.isEmpty() || !records.get(0).hasLandmarks() ? 0 : records.get(0).landmarks().length;
        Set<String> names = new HashSet<>();
        for (FaceRecord r : records) {
            int k = r.hasLandmarks() ? r.landmarks().length : 0;
            if (k != landmarkCount) {
                throw new AnnotationException(source, 0, r.name() + " has " + k + " landmarks, "
                        + records.get(0).name() + " has " + landmarkCount);
            }
            if (!names.add(r.name())) {
                throw new AnnotationException(source, 0, "the image " + r.name() + " is listed twice");
            }
        }
    }

    /**
     * Opens a dataset, picking the reader from {@code annotations}: a {@code .pkl} info list, a {@code .csv} box
     * list (with {@code .pts} beside the images), CelebA's landmark {@code .txt}, a folder of Helen {@code .txt}
     * annotations, or a folder of {@code .pts} files; null reads {@code imageRoot}'s images without annotations.
     *
     * @throws AnnotationException naming the file (and line) that cannot be used, or the images that are missing
     */
    public static FaceDataset open(Path annotations, Path imageRoot) throws IOException {
        if (!Files.isDirectory(imageRoot)) {
            throw new AnnotationException(imageRoot, 0, "no such folder of images");
        }
        List<FaceRecord> records;
        if (annotations == null) {
            records = imageFolder(imageRoot);
        } else if (Files.isDirectory(annotations)) {
            records = containsSuffix(annotations, ".txt") ? HelenReader.read(annotations, imageRoot)
                    : PtsReader.read(annotations, null);
        } else if (!Files.isRegularFile(annotations)) {
            throw new AnnotationException(annotations, 0, "no such file or folder");
        } else {
            String name = annotations.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".pkl") || name.endsWith(".pickle")) {
                records = InfoListReader.read(annotations, imageRoot);
            } else if (name.endsWith(".csv")) {
                records = PtsReader.read(imageRoot, annotations);
            } else if (name.endsWith(".txt") && CelebaReader.looksLike(annotations)) {
                records = CelebaReader.read(annotations, imageRoot);
            } else {
                throw new AnnotationException(annotations, 0, "unknown annotation format: expected an info-list"
                        + " .pkl, a box .csv, CelebA's landmark .txt, or a folder of Helen .txt or .pts files");
            }
        }
        Path source = annotations == null ? imageRoot : annotations;
        if (records.isEmpty()) {
            throw new AnnotationException(source, 0, "no faces found");
        }
        List<String> missing = records.stream().map(FaceRecord::image).filter(p -> !Files.isRegularFile(p))
                .map(Path::toString).toList();
        if (!missing.isEmpty()) {
            throw new AnnotationException(source, 0, missing.size() + " of " + records.size()
                    + " images are missing, e.g. " + String.join(", ", missing.subList(0, Math.min(LISTED_MISSING,
                            missing.size()))));
        }
        return new FaceDataset(source, records);
    }

    private static List<FaceRecord> imageFolder(Path dir) throws IOException {
        List<FaceRecord> records = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(FileNames::isImage).sorted()
                    .forEach(p -> records.add(new FaceRecord(p.getFileName().toString(), p, null, null)));
        }
        return records;
    }

    private static boolean containsSuffix(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(suffix));
        }
    }

    /**
     * The faces named in a list file (one image name per line; blank lines and {@code #} comments skipped), or all
     * but those: how a held-out split is kept fixed.
     *
     * @param keep true keeps the listed faces, false leaves them out
     * @throws AnnotationException naming the line of a name this dataset does not hold
     */
    public FaceDataset subset(Path listFile, boolean keep) throws IOException {
        Set<String> known = new HashSet<>();
        records.forEach(r -> known.add(r.name()));
        Set<String> listed = new HashSet<>();
        List<String> lines = Files.readAllLines(listFile);
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i).strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            if (!known.contains(name)) {
                throw new AnnotationException(listFile, i + 1, "no face named '" + name + "' in this dataset");
            }
            listed.add(name);
        }
        List<FaceRecord> kept = records.stream().filter(r -> listed.contains(r.name()) == keep).toList();
        if (kept.isEmpty()) {
            throw new AnnotationException(listFile, 0, "no faces left after " + (keep ? "keeping" : "removing")
                    + " the listed ones");
        }
        return new FaceDataset(listFile, kept);
    }

    public List<FaceRecord> records() {
        return records;
    }

    public int size() {
        return records.size();
    }

    public FaceRecord get(int index) {
        return records.get(index);
    }

    /** Landmarks per face; 0 when the dataset has none. */
    public int landmarkCount() {
        return landmarkCount;
    }
}
