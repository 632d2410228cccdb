'use strict';
// The page of dic4j serve: no framework and no download, everything comes from the server's jar.
// body[data-state] is 'idle', 'working', 'done' or 'error', for people reading the DOM and for the browser test.

const $ = id => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
// Square images up to this side are taken for face crops in automatic mode; larger ones for photos.
const FACE_CROP_MAX_SIDE = 64;

let shown = null; // {kind: 'face' | 'photo', json, step}

function setState(state) {
  document.body.dataset.state = state;
}

function show(id, visible) {
  $(id).hidden = !visible;
}

function imageSize(url) {
  return new Promise(resolve => {
    const img = new Image();
    img.onload = () => resolve({width: img.naturalWidth, height: img.naturalHeight});
    img.onerror = () => resolve(null);
    img.src = url;
  });
}

function chosenMode() {
  return document.querySelector('input[name=mode]:checked').value;
}

function kindOf(size) {
  const mode = chosenMode();
  if (mode !== 'auto') {
    return mode;
  }
  // what the browser cannot decode goes to /upscale, whose answer names the problem
  if (!size) {
    return 'face';
  }
  return size.width === size.height && size.width <= FACE_CROP_MAX_SIDE ? 'face' : 'photo';
}

async function start(file) {
  if (!file) {
    return;
  }
  setState('working');
  show('error', false);
  show('result', false);
  progress(0, 'Reading ' + file.name + '…');
  const url = URL.createObjectURL(file);
  const size = await imageSize(url);
  send(file, url, size, kindOf(size));
}

function progress(fraction, text) {
  show('progress', true);
  const bar = $('bar');
  bar.classList.toggle('indeterminate', fraction === null);
  bar.style.width = fraction === null ? '' : Math.round(fraction * 100) + '%';
  $('progress-text').textContent = text;
}

function send(file, url, size, kind) {
  const xhr = new XMLHttpRequest();
  xhr.open('POST', kind === 'face' ? 'upscale' : 'enhance');
  xhr.setRequestHeader('Accept', 'application/json');
  const started = Date.now();
  let timer = null;
  xhr.upload.onprogress = e => {
    if (e.lengthComputable) {
      progress(0.3 * e.loaded / e.total, 'Uploading ' + file.name + '… ' + Math.round(100 * e.loaded / e.total) + '%');
    }
  };
  xhr.upload.onload = () => {
    const what = kind === 'face' ? 'Super-resolving the face' : 'Finding and super-resolving the faces';
    const tick = () => progress(null, what + '… ' + ((Date.now() - started) / 1000).toFixed(1) + ' s');
    tick();
    timer = setInterval(tick, 200);
  };
  const finish = () => {
    clearInterval(timer);
    show('progress', false);
  };
  xhr.onload = () => {
    finish();
    let json = null;
    try {
      json = JSON.parse(xhr.responseText);
    } catch (e) {
      // answered below as an unreadable reply
    }
    if (xhr.status === 200 && json) {
      render(kind, json, url, size, file.name);
    } else {
      fail(file.name, xhr.status, json && json.error);
    }
  };
  xhr.onerror = () => {
    finish();
    fail(file.name, 0, null);
  };
  const form = new FormData();
  form.append('file', file, file.name);
  xhr.send(form);
}

function fail(name, status, message) {
  const why = {
    0: 'The server could not be reached. Is dic4j serve still running?',
    400: 'This file could not be read as an image.',
    408: 'The upload was too slow and the server gave up.',
    413: 'This image is too large for the server.',
    415: 'This file is not an image dic4j can read (PNG, JPEG, BMP, GIF or TIFF).',
    503: 'The server is busy. Try again in a moment.'
  }[status] || 'Something went wrong (HTTP ' + status + ').';
  const box = $('error');
  box.textContent = '';
  const head = document.createElement('strong');
  head.textContent = name + ': ' + why;
  box.appendChild(head);
  if (message) {
    const detail = document.createElement('p');
    detail.textContent = 'The server says: ' + message;
    box.appendChild(detail);
  }
  show('error', true);
  setState('error');
}

function render(kind, json, url, size, name) {
  shown = {kind, json, step: kind === 'face' ? json.steps.length - 1 : null};
  $('input').src = url;
  $('before').src = url;
  $('input-caption').textContent = 'input' + (size ? ', ' + size.width + '×' + size.height : '');
  $('download').href = json.image;
  $('download').download = name.replace(/\.[^.]*$/, '') + '_dic4j.png';
  $('overlay').setAttribute('viewBox', '0 0 ' + json.width + ' ' + json.height);
  $('show-boxes').disabled = kind === 'face';
  show('steps', kind === 'face');
  const buttons = $('step-buttons');
  buttons.textContent = '';
  if (kind === 'face') {
    json.steps.forEach((step, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = String(i + 1);
      b.onclick = () => {
        shown.step = i;
        draw();
      };
      buttons.appendChild(b);
    });
  }
  $('faces').textContent = kind === 'face' ? 'A face crop, super-resolved to ' + json.width + '×' + json.height
      + ' in ' + json.steps.length + ' steps; each refines the last with its landmarks.' : describeFaces(json);
  draw();
  show('result', true);
  setState('done');
}

function describeFaces(json) {
  const faces = json.faces;
  if (faces.length === 0) {
    return 'No face found: the photo is upscaled ' + json.upscale + '× with bicubic.';
  }
  const enhanced = faces.filter(f => f.enhanced).length;
  const lines = [faces.length + ' face(s) found, ' + enhanced + ' super-resolved by DIC; the rest stay bicubic.'];
  faces.forEach((f, i) => {
    if (!f.enhanced) {
      lines.push('Face ' + (i + 1) + ': ' + f.reason + '.');
    }
  });
  return lines.join(' ');
}

function draw() {
  const {kind, json, step} = shown;
  const image = kind === 'face' ? json.steps[step].image : json.image;
  if ($('output').getAttribute('src') !== image) {
    $('output').src = image;
  }
  $('output-caption').textContent = kind === 'face' ? 'DIC, step ' + (step + 1) + ' of ' + json.steps.length + ' →'
      : 'DIC →';
  Array.from($('step-buttons').children).forEach((b, i) => b.setAttribute('aria-pressed', String(i === step)));
  const svg = $('overlay');
  svg.textContent = '';
  const r = Math.max(json.width, json.height) / 150;
  if (kind === 'photo' && $('show-boxes').checked) {
    json.faces.forEach(f => {
      const [x0, y0, x1, y1] = f.box.map(v => v * json.upscale);
      svg.appendChild(shape('rect', {x: x0, y: y0, width: x1 - x0, height: y1 - y0}));
    });
  }
  if ($('show-landmarks').checked) {
    // face crops: SR pixels with centres at integers; photos: continuous input pixels
    const points = kind === 'face' ? json.steps[step].landmarks.map(([x, y]) => [x + 0.5, y + 0.5])
        : json.faces.filter(f => f.landmarks).flatMap(f => f.landmarks.map(([x, y]) => [x * json.upscale,
          y * json.upscale]));
    points.forEach(([x, y]) => svg.appendChild(shape('circle', {cx: x, cy: y, r})));
  }
}

function shape(name, attributes) {
  const el = document.createElementNS(SVG, name);
  Object.entries(attributes).forEach(([k, v]) => el.setAttribute(k, v));
  return el;
}

function slide() {
  const at = $('slider').value;
  $('after-clip').style.clipPath = 'inset(0 0 0 ' + at + '%)';
  $('handle').style.left = at + '%';
}

$('file').addEventListener('change', e => start(e.target.files[0]));
const drop = $('drop');
drop.addEventListener('dragover', e => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => {
  e.preventDefault();
  drop.classList.remove('over');
  start(e.dataTransfer.files[0]);
});
drop.addEventListener('keydown', e => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    $('file').click();
  }
});
$('slider').addEventListener('input', slide);
$('show-boxes').addEventListener('change', () => shown && draw());
$('show-landmarks').addEventListener('change', () => shown && draw());
slide();
setState('idle');
