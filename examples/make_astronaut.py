#!/usr/bin/env python3
"""Makes the example face from the NASA astronaut portrait that scikit-image ships (skimage/data/astronaut.png,
public domain; Debian package python3-skimage), framed as dic4j's training faces are: a square of 1.3x the
68-landmark extent, centred on it, raised by 5% of its side. The extent was read off the portrait by eye (jaw
x 177..266, brows to chin y 88..172, in the 512x512 portrait's pixels), which gives the box below. Cropped and
resized with Pillow's bicubic as the reference does: crop -> 128x128 (HR) -> 16x16 (LR).

For `dic4j enhance`, the whole portrait as a 68x68 thumbnail (Lanczos, as a photo viewer shrinks it): her face box
is then about 16 px, the size DIC super-resolves.

    python3 examples/make_astronaut.py
"""
import os

from PIL import Image
import skimage.data

HERE = os.path.dirname(os.path.abspath(__file__))
BOX = (164, 66, 280, 182)
PHOTO_SIZE = 68


def main():
    portrait = Image.fromarray(skimage.data.astronaut())
    hr = portrait.crop(BOX).resize((128, 128), Image.BICUBIC)
    lr = hr.resize((16, 16), Image.BICUBIC)
    hr.save(os.path.join(HERE, 'astronaut_hr.png'))
    lr.save(os.path.join(HERE, 'astronaut_lr.png'))
    portrait.resize((PHOTO_SIZE, PHOTO_SIZE), Image.LANCZOS).save(os.path.join(HERE, 'astronaut_photo.png'))


if __name__ == '__main__':
    main()
