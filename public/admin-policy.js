// Policy form: SMS reset becomes available as soon as the SMS factor is ticked (the server checks the rule again on save).
(function () {
  var factor = document.getElementById('mfaSms');
  var reset = document.getElementById('resetSms');
  var reason = document.getElementById('resetSms-reason');
  if (!factor || !reset || !reason) return;
  factor.addEventListener('change', function () {
    if (factor.checked) {
      reset.disabled = false;
      reason.hidden = true;
    } else if (!reset.checked) {
      // Still ticked: left as is, so saving explains why the factor cannot go while SMS reset uses it.
      reset.disabled = true;
      reason.hidden = false;
    }
  });
})();
