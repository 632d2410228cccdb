#!/usr/bin/env python3
"""Draws the README's before/after of `dic4j enhance`: the thumbnail as it is, Pillow's bicubic 8x of it, and
enhance's output, the last two cut to the region around the faces that enhance reports.

    ./dic4j enhance examples/astronaut_photo.png -o out/enhance
    python3 tools/enhance_figure.py examples/astronaut_photo.png out/enhance docs/astronaut-enhance.png
"""
import json
import os
import sys

from PIL import Image, ImageDraw

SCALE = 8
LABEL_HEIGHT = 18


def main(photo_path, out_dir, figure_path):
    stem = os.path.splitext(os.path.basename(photo_path))[0]
    photo = Image.open(photo_path).convert('RGB')
    enhanced = Image.open(os.path.join(out_dir, stem + '.png')).convert('RGB')
    faces = json.load(open(os.path.join(out_dir, stem + '.json')))['faces']
    boxes = [f['box'] for f in faces if f['enhanced']]
    if not boxes:
        sys.exit(f'{out_dir}/{stem}.json: no enhanced face to show')
    bicubic = photo.resize((photo.width * SCALE, photo.height * SCALE), Image.BICUBIC)
    # a square twice the faces' extent, at 8x, kept inside the photo
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    side = min(2 * max(x1 - x0, y1 - y0), photo.width, photo.height) * SCALE
    left = min(max((x0 + x1) / 2 * SCALE - side / 2, 0), bicubic.width - side)
    top = min(max((y0 + y1) / 2 * SCALE - side / 2, 0), bicubic.height - side)
    region = tuple(round(v) for v in (left, top, left + side, top + side))
    panels = [('input, ' + f'{photo.width}x{photo.height}', photo.resize((region[2] - region[0],) * 2, Image.NEAREST)),
              ('bicubic 8x', bicubic.crop(region)), ('dic4j enhance', enhanced.crop(region))]
    width = sum(p.width for _, p in panels)
    figure = Image.new('RGB', (width, panels[0][1].height + LABEL_HEIGHT), 'white')
    draw = ImageDraw.Draw(figure)
    x = 0
    for label, panel in panels:
        figure.paste(panel, (x, LABEL_HEIGHT))
        draw.text((x + 4, 3), label, fill='black')
        x += panel.width
    figure.save(figure_path)


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
