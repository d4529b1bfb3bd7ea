// Thaksa's word on a security key that did not answer (allauth's webauthn.js only logs it):
// the page says so in the person's language and the button can be pressed again.
(function () {
  document.addEventListener('allauth.error', function (event) {
    event.preventDefault()
    const box = document.getElementById('security-key-error')
    if (box) {
      box.hidden = false
      box.focus()
    }
  })
})()
